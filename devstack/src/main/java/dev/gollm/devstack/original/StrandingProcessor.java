package dev.gollm.devstack.original;

import dev.gollm.devstack.http.HttpIo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A processor that takes tasks from the manager's task stream the way the original Go processor
 * does (contract section 6, pitfalls 2 to 4 and 8), so a test or a bench can run it beside ours:
 *
 * <ul>
 *   <li>per {@code task_available} event it sends {@code claim} with the event's {@code taskId},
 *       which the manager ignores: it is handed a batch of 5 pending tasks (often not the announced
 *       one);
 *   <li>it works only on the announced task (generation through Ollama's {@code
 *       /v1/chat/completions}, then {@code complete}), heartbeating it every {@code
 *       heartbeatInterval} (60 s by default, the steal threshold);
 *   <li>every other claimed task stays {@code processing} under its name, never heartbeated
 *       (stranded): only work-steal or the manager's cleanup gets it back.
 * </ul>
 *
 * <p>By default it works only on tasks it owns: an announced task it did not claim is skipped, and
 * a task whose heartbeat got 404 is dropped without completing. With {@link
 * StrandingOptions#completeUnowned()} it behaves fully like the original: it also generates and
 * completes announced tasks it never owned, and goes on with tasks whose heartbeat got 404, so its
 * complete overwrites the new owner's (duplicates).
 *
 * <p>Like the original it reads the stream until it ends (it has no silence detection) and then
 * reconnects after {@code reconnectDelay}, which replays up to 10 pending tasks: up to 50 claimed
 * per connection. It never calls cleanup or work-steal and sends no processor metrics.
 */
public final class StrandingProcessor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StrandingProcessor.class);

  /** What the original asks for; the manager clamps it to 20 s. */
  private static final int STREAM_HEARTBEAT_MS = 60_000;

  /** The original's "claim this task" lease. */
  private static final int CLAIM_TIMEOUT_MS = 5_000;

  private final StrandingOptions options;
  private final HttpClient http;
  private final ExecutorService workers;
  private final ScheduledExecutorService heartbeats;
  private final Thread streamReader;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closing = lock.newCondition();
  private volatile boolean closed;
  private volatile InputStream openStream;

  private final Set<String> claimedIds = ConcurrentHashMap.newKeySet();
  private final Set<String> takenUp = ConcurrentHashMap.newKeySet();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<String> beating = ConcurrentHashMap.newKeySet();
  private final Set<String> lost = ConcurrentHashMap.newKeySet();
  private final AtomicLong announced = new AtomicLong();
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong skippedUnowned = new AtomicLong();
  private final AtomicLong generated = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong completedUnowned = new AtomicLong();
  private final AtomicLong failedGenerations = new AtomicLong();
  private final AtomicLong streamsOpened = new AtomicLong();

  private StrandingProcessor(StrandingOptions options) {
    this.options = options;
    this.http = HttpClient.newBuilder().connectTimeout(options.managerTimeout()).build();
    this.workers =
        Executors.newFixedThreadPool(
            options.workers(), Thread.ofVirtual().name("stranding-worker-", 0).factory());
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stranding-heartbeats").daemon().factory());
    this.streamReader = Thread.ofVirtual().name("stranding-stream").unstarted(this::readStreams);
  }

  /** Connects to the manager's task stream and starts working; runs until {@link #close()}. */
  public static StrandingProcessor start(StrandingOptions options) {
    StrandingProcessor processor = new StrandingProcessor(options);
    long periodMs = options.heartbeatInterval().toMillis();
    processor.heartbeats.scheduleAtFixedRate(
        processor::heartbeatAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
    processor.streamReader.start();
    return processor;
  }

  public StrandingOptions options() {
    return options;
  }

  /** The counts so far. */
  public StrandingStats stats() {
    return new StrandingStats(
        announced.get(),
        claimed.get(),
        strandedIds().size(),
        skippedUnowned.get(),
        generated.get(),
        completed.get(),
        completedUnowned.get(),
        lost.size(),
        failedGenerations.get(),
        streamsOpened.get(),
        inFlight.size());
  }

  /** The ids of the tasks the manager handed it and it never took up. */
  public Set<String> strandedIds() {
    return claimedIds.stream()
        .filter(id -> !takenUp.contains(id))
        .collect(Collectors.toUnmodifiableSet());
  }

  // ---- the task stream ---------------------------------------------------------------------

  private void readStreams() {
    while (!closed) {
      try {
        readOneStream();
      } catch (IOException e) {
        if (!closed) {
          LOG.debug("task stream failed: {}", e.toString());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("task stream handling failed", e);
      }
      if (!awaitReconnectDelay()) {
        return;
      }
    }
  }

  private void readOneStream() throws IOException, InterruptedException {
    String query =
        "processor_id="
            + URLEncoder.encode(options.processorId(), StandardCharsets.UTF_8)
            + "&heartbeat="
            + STREAM_HEARTBEAT_MS;
    HttpRequest request =
        HttpRequest.newBuilder(managerUri("task-stream?" + query))
            .timeout(options.managerTimeout())
            .header("Authorization", "Bearer " + options.apiKey())
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        LOG.info("task stream answered {}", response.statusCode());
        return;
      }
      openStream = body;
      streamsOpened.incrementAndGet();
      if (closed) {
        return;
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String line;
      while (!closed && (line = lines.readLine()) != null) {
        if (line.startsWith("data:")) {
          onEvent(line.substring("data:".length()).trim());
        }
      }
    } finally {
      openStream = null;
    }
  }

  /** Waits before reconnecting; false when closed meanwhile. */
  private boolean awaitReconnectDelay() {
    lock.lock();
    try {
      long remaining = options.reconnectDelay().toNanos();
      while (!closed && remaining > 0) {
        remaining = closing.awaitNanos(remaining);
      }
      return !closed;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void onEvent(String json) {
    JsonNode event;
    try {
      event = HttpIo.JSON.readTree(json);
    } catch (JacksonException e) {
      LOG.debug("unreadable task stream event: {}", e.getOriginalMessage());
      return;
    }
    if (!"task_available".equals(event.path("type").asString(""))) {
      return;
    }
    JsonNode data = event.path("data");
    String taskId = data.path("taskId").asString("");
    if (taskId.isEmpty()) {
      return;
    }
    String params =
        data.path("ollamaParams").isString() ? data.get("ollamaParams").asString() : null;
    onAnnounced(taskId, data.path("productData").asString(""), params);
  }

  /** Claims "this task" (a batch of 5, really) and takes up the announced task only. */
  private void onAnnounced(String taskId, String productData, String ollamaParams) {
    if (closed) {
      return;
    }
    announced.incrementAndGet();
    List<String> got = claimBatch(taskId);
    claimed.addAndGet(got.size());
    claimedIds.addAll(got);
    boolean claimedByUs = claimedIds.contains(taskId);
    if (!claimedByUs && !options.completeUnowned()) {
      skippedUnowned.incrementAndGet();
      return;
    }
    if (!inFlight.add(taskId)) {
      return;
    }
    if (claimedByUs) {
      takenUp.add(taskId);
    }
    beating.add(taskId);
    workers.execute(() -> work(taskId, productData, ollamaParams));
  }

  // ---- work ----------------------------------------------------------------------------------

  private void work(String taskId, String productData, String ollamaParams) {
    try {
      boolean owned = heartbeat(taskId);
      if (!owned && !options.completeUnowned()) {
        return;
      }
      Optional<String> result = generate(productData, ollamaParams);
      if (result.isEmpty()) {
        failedGenerations.incrementAndGet();
        post("requeue", body(taskId).put("reason", "generation/model unavailable"));
        return;
      }
      generated.incrementAndGet();
      boolean stillOwned = owned && !lost.contains(taskId);
      if (!stillOwned && !options.completeUnowned()) {
        return;
      }
      ObjectNode complete = body(taskId).put("status", "completed").put("result", result.get());
      if (post("complete", complete).map(r -> r.statusCode() == 200).orElse(false)) {
        completed.incrementAndGet();
        if (!stillOwned) {
          completedUnowned.incrementAndGet();
        }
      }
    } finally {
      beating.remove(taskId);
      inFlight.remove(taskId);
    }
  }

  private void heartbeatAll() {
    for (String taskId : List.copyOf(beating)) {
      if (closed) {
        return;
      }
      heartbeat(taskId);
    }
  }

  /**
   * Heartbeats one task. A 404 drops it from the heartbeat set and marks it lost; any other failure
   * changes nothing (the original only logs it).
   *
   * @return false when the manager answered 404
   */
  private boolean heartbeat(String taskId) {
    Optional<HttpResponse<String>> answer = post("heartbeat", body(taskId));
    if (answer.isPresent() && answer.get().statusCode() == 404) {
      beating.remove(taskId);
      lost.add(taskId);
      return false;
    }
    return true;
  }

  private Optional<String> generate(String productData, String ollamaParams) {
    ObjectNode request = HttpIo.JSON.createObjectNode();
    request.put("model", modelOf(ollamaParams));
    request.putArray("messages").addObject().put("role", "user").put("content", productData);
    request.put("stream", false);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(options.ollamaUrl().resolve("/v1/chat/completions"))
                  .timeout(options.ollamaTimeout())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.debug("generation answered {}: {}", response.statusCode(), response.body());
        return Optional.empty();
      }
      JsonNode content = HttpIo.JSON.readTree(response.body()).at("/choices/0/message/content");
      return content.isString() ? Optional.of(content.asString()) : Optional.empty();
    } catch (IOException | JacksonException e) {
      LOG.debug("generation failed: {}", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private String modelOf(String ollamaParams) {
    if (ollamaParams == null || ollamaParams.isBlank()) {
      return options.model();
    }
    try {
      String model = HttpIo.JSON.readTree(ollamaParams).path("model").asString("");
      return model.isBlank() ? options.model() : model;
    } catch (JacksonException e) {
      return options.model();
    }
  }

  // ---- the manager -------------------------------------------------------------------------

  /** Sends the original's "claim this task" and returns the ids the manager handed out. */
  private List<String> claimBatch(String taskId) {
    ObjectNode claim = body(taskId).put("timeout_ms", CLAIM_TIMEOUT_MS);
    List<String> ids = new ArrayList<>();
    Optional<HttpResponse<String>> answer = post("claim", claim);
    if (answer.isEmpty() || answer.get().statusCode() != 200) {
      return ids;
    }
    try {
      for (JsonNode task : HttpIo.JSON.readTree(answer.get().body()).path("tasks")) {
        String id = task.path("id").asString("");
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    } catch (JacksonException e) {
      LOG.debug("unreadable claim answer: {}", e.getOriginalMessage());
    }
    return ids;
  }

  private ObjectNode body(String taskId) {
    ObjectNode body = HttpIo.JSON.createObjectNode();
    body.put("taskId", taskId);
    body.put("processor_id", options.processorId());
    return body;
  }

  /** POSTs to an internal endpoint; empty when the manager could not be reached. */
  private Optional<HttpResponse<String>> post(String endpoint, ObjectNode body) {
    try {
      return Optional.of(
          http.send(
              HttpRequest.newBuilder(managerUri(endpoint))
                  .timeout(options.managerTimeout())
                  .header("Authorization", "Bearer " + options.apiKey())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      LOG.debug("{} failed: {}", endpoint, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private URI managerUri(String pathAndQuery) {
    String base = options.managerUrl().toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "api/internal/" + pathAndQuery);
  }

  /** Stops reading the stream, heartbeating and working; tasks it holds stay as they are. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing.signalAll();
    } finally {
      lock.unlock();
    }
    InputStream stream = openStream;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        LOG.debug("closing the task stream: {}", e.toString());
      }
    }
    streamReader.interrupt();
    heartbeats.shutdownNow();
    workers.shutdownNow();
    try {
      streamReader.join(Duration.ofSeconds(10));
      workers.awaitTermination(10, TimeUnit.SECONDS);
      heartbeats.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.shutdownNow();
  }
}
