package dev.gollm.processor.manager;

import dev.gollm.processor.http.HttpAnswer;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonArray;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonString;
import dev.gollm.processor.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ManagerApi} over HTTP, as the real manager implements it: bearer key, JSON bodies, one
 * timeout per call, and every 200 checked for the keys the endpoint must answer with (the manager's
 * catch-all route answers 200 to any unknown path).
 */
public final class ManagerClient implements ManagerApi {
  private static final Logger log = LoggerFactory.getLogger(ManagerClient.class);
  private static final int MAX_ERROR_BODY = 300;

  /** Bounds one answer: a claim of 20 tasks of product descriptions fits many times over. */
  private static final int MAX_ANSWER_BYTES = 64 << 20;

  private final HttpTransport http;

  private final URI base;

  /** Each endpoint's URI, resolved once: an idle processor's calls run mostly interpreted. */
  private final Map<String, URI> endpoints = new ConcurrentHashMap<>();

  private final Map<String, String> headers;
  private final String processorId;
  private final Duration timeout;
  private final ManagerReachability reachability;
  private final AtomicBoolean unauthorizedLogged = new AtomicBoolean();

  public ManagerClient(
      HttpTransport http,
      URI base,
      String apiKey,
      String processorId,
      Duration timeout,
      ManagerReachability reachability) {
    this.http = http;
    this.base = base;
    this.headers = Map.of("Authorization", "Bearer " + apiKey);
    this.processorId = processorId;
    this.timeout = timeout;
    this.reachability = reachability;
  }

  @Override
  public List<ManagerTask> claim(int batchSize) {
    JsonValue body =
        post("claim", Map.of("processor_id", processorId, "batch_size", batchSize), "tasks");
    return tasks(body.get("tasks"), "claim");
  }

  @Override
  public void heartbeat(String taskId) {
    post("heartbeat", Map.of("taskId", taskId, "processor_id", processorId), "success");
  }

  @Override
  public void complete(String taskId, TaskReport report) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("taskId", taskId);
    body.put("processor_id", processorId);
    if (report instanceof TaskReport.Completed c) {
      body.put("status", "completed");
      body.put("result", c.result());
    } else if (report instanceof TaskReport.Failed f) {
      body.put("status", "failed");
      body.put("error_message", f.errorMessage());
    }
    post("complete", body, "success");
  }

  @Override
  public void requeue(String taskId, String reason) {
    post(
        "requeue",
        Map.of("taskId", taskId, "processor_id", processorId, "reason", reason),
        "success");
  }

  @Override
  public List<ManagerTask> steal(int maxCount) {
    JsonValue body =
        post(
            "work-steal",
            Map.of("processor_id", processorId, "max_steal_count", maxCount),
            "stolen_tasks");
    return tasks(body.get("stolen_tasks"), "work-steal");
  }

  @Override
  public void processorHeartbeat(ProcessorLoad load) {
    post(
        "processor-heartbeat",
        Map.of(
            "processor_id", processorId,
            "cpu_usage", load.cpuUsage(),
            "memory_usage", load.memoryUsage(),
            "queue_size", load.queueSize()),
        "success");
  }

  @Override
  public CleanupResult cleanup() {
    JsonValue cleaned = post("cleanup", null, "cleaned").get("cleaned");
    return new CleanupResult(
        cleaned.path("timedout").asInt(0),
        cleaned.path("failed").asInt(0),
        cleaned.path("tasks").asInt(0));
  }

  private static List<ManagerTask> tasks(JsonValue array, String endpoint) {
    if (array == null || array instanceof JsonNull) {
      return List.of();
    }
    if (!(array instanceof JsonArray)) {
      throw new ManagerException.Unavailable(
          endpoint + ": expected an array of tasks, got " + array.type(), null);
    }
    List<ManagerTask> tasks = new ArrayList<>(array.elements().size());
    for (JsonValue t : array.elements()) {
      if (!(t.get("id") instanceof JsonString(String id)) || id.isEmpty()) {
        throw new ManagerException.Unavailable(endpoint + ": a task without an id: " + t, null);
      }
      tasks.add(
          new ManagerTask(
              id,
              text(t, "product_data"),
              t.path("priority").asInt(0),
              text(t, "ollama_params"),
              text(t, "error_message")));
    }
    return tasks;
  }

  private static String text(JsonValue task, String key) {
    JsonValue v = task.get(key);
    return v == null || v instanceof JsonNull ? null : v.asString();
  }

  /**
   * POSTs {@code body} to an internal endpoint and returns the parsed answer, which must hold
   * {@code requiredKey}; every failure becomes a typed {@link ManagerException}.
   */
  private JsonValue post(String endpoint, Object body, String requiredKey) {
    HttpCall call =
        new HttpCall(
            "POST",
            endpoints.computeIfAbsent(endpoint, e -> base.resolve("/api/internal/" + e)),
            headers,
            body == null ? null : Json.write(body),
            timeout);
    HttpAnswer answer;
    try {
      answer = http.exchange(call, MAX_ANSWER_BYTES);
    } catch (HttpFailure.Aborted e) {
      // Interrupted or shutting down: says nothing about the manager's reachability.
      throw new ManagerException.Unavailable(endpoint + ": " + describe(e), e);
    } catch (HttpFailure e) {
      throw unavailable(endpoint + ": " + describe(e), e);
    }
    if (answer.truncated()) {
      throw unavailable(endpoint + ": answer larger than " + MAX_ANSWER_BYTES + " bytes", null);
    }
    int status = answer.status();
    String text = answer.text();
    if (status == 401) {
      String message =
          endpoint
              + ": 401 unauthorized: the manager rejects INTERNAL_API_KEY; check that it matches"
              + " the manager's";
      if (unauthorizedLogged.compareAndSet(false, true)) {
        log.error("{} (logged once; calls continue with backoff)", message);
      }
      reachability.unreachable("the manager rejects INTERNAL_API_KEY (401)");
      throw new ManagerException.Unauthorized(message);
    }
    if (status >= 500 || status == 429 || status == 408) {
      throw unavailable(endpoint + ": HTTP " + status + ": " + excerpt(text), null);
    }
    // Any other answer means the manager is up and talking to us.
    unauthorizedLogged.set(false);
    reachability.reached();
    if (status == 404 && (endpoint.equals("heartbeat") || endpoint.equals("complete"))) {
      throw new ManagerException.LeaseLost(endpoint + ": " + excerpt(text));
    }
    if (status != 200) {
      throw new ManagerException.Rejected(endpoint + ": HTTP " + status + ": " + excerpt(text));
    }
    JsonValue parsed;
    try {
      parsed = Json.parse(text);
    } catch (JsonException e) {
      throw new ManagerException.Unavailable(
          endpoint + ": answer is not JSON: " + excerpt(text), e);
    }
    if (!parsed.has(requiredKey)) {
      throw new ManagerException.Unavailable(
          endpoint
              + ": answer lacks \""
              + requiredKey
              + "\" (is WORKER_URL the manager?): "
              + excerpt(text),
          null);
    }
    return parsed;
  }

  private ManagerException.Unavailable unavailable(String message, Throwable cause) {
    reachability.unreachable(message);
    return new ManagerException.Unavailable(message, cause);
  }

  static String describe(HttpFailure e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_ERROR_BODY
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_BODY) + "...";
  }
}
