package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.health.Reachability.Dependency;
import dev.gollm.processor.llm.LlmException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Knows which models Ollama has. A model is looked up in {@code /api/tags} once, pulled when
 * missing, and remembered until Ollama says it is gone; concurrent callers wait on one check.
 */
final class ModelCatalog {
  private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);
  private static final JsonMapper JSON = JsonMapper.shared();

  /** Bounds a model list or version answer (a list of thousands of models is well under it). */
  private static final int MAX_ANSWER_BYTES = 16 << 20;

  private final HttpClient http;
  private final URI base;
  private final Duration callTimeout;
  private final Duration pullTimeout;
  private final Reachability reachability;
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  ModelCatalog(
      HttpClient http,
      URI base,
      Duration callTimeout,
      Duration pullTimeout,
      Reachability reachability) {
    this.http = http;
    this.base = base;
    this.callTimeout = callTimeout;
    this.pullTimeout = pullTimeout;
    this.reachability = reachability;
  }

  /** Ollama's canonical name: a model without a tag is {@code :latest}. */
  static String canonical(String model) {
    int slash = model.lastIndexOf('/');
    return model.indexOf(':', slash + 1) < 0 ? model + ":latest" : model;
  }

  /**
   * Returns once the model is present. The check (and the pull it may need) runs on a thread of its
   * own, shared by every caller asking for the same model meanwhile, so one caller giving up (its
   * lease lost, a shutdown) never aborts the pull the others wait for.
   */
  void ensure(String model, CancelSignal cancel) {
    String name = canonical(model);
    if (present.contains(name)) {
      return;
    }
    CompletableFuture<Void> check = new CompletableFuture<>();
    CompletableFuture<Void> shared = inFlight.putIfAbsent(name, check);
    if (shared == null) {
      Thread.ofVirtual().name("model-check-" + name).start(() -> check(name, check));
      shared = check;
    }
    await(shared, name, cancel);
  }

  private void check(String name, CompletableFuture<Void> result) {
    try {
      makePresent(name);
      result.complete(null);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    } finally {
      inFlight.remove(name, result);
    }
  }

  private void await(CompletableFuture<Void> check, String name, CancelSignal cancel) {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    CancelSignal.Registration registration = cancel.onCancel(() -> cancelled.complete(null));
    try {
      CompletableFuture.anyOf(check, cancelled).get(pullTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!check.isDone()) {
        throw new LlmException.Cancelled(
            "stopped waiting for model " + name + ": " + cancel.reason());
      }
      check.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof LlmException l
          ? l
          : new LlmException.Retryable("model check failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LlmException.Retryable("waited " + pullTimeout + " for model " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted while waiting for model " + name);
    } finally {
      registration.close();
    }
  }

  /** Forgets a model Ollama reported missing, so the next task checks again. */
  void forget(String model) {
    present.remove(canonical(model));
  }

  /** GET /api/version: the cheapest call that proves Ollama answers. */
  void ping() {
    send(
        HttpRequest.newBuilder(base.resolve("/api/version")).timeout(callTimeout).GET().build(),
        "asking its version");
  }

  private void makePresent(String name) {
    refreshFromTags();
    if (present.contains(name)) {
      return;
    }
    log.info("model {} is not on Ollama; pulling it (up to {})", name, pullTimeout);
    pull(name);
    present.add(name);
    log.info("model {} pulled", name);
  }

  private void refreshFromTags() {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/tags")).timeout(callTimeout).GET().build();
    String body = send(request, "listing models");
    try {
      for (JsonNode m : JSON.readTree(body).path("models")) {
        for (String key : new String[] {"name", "model"}) {
          if (m.hasNonNull(key)) {
            present.add(canonical(m.get(key).asString()));
          }
        }
      }
    } catch (JacksonException e) {
      throw new LlmException.Retryable("Ollama's model list is not JSON", e);
    }
  }

  private void pull(String name) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/pull"))
            .timeout(pullTimeout)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    JSON.writeValueAsBytes(Map.of("model", name, "stream", true))))
            .build();
    HttpResponse<InputStream> response = exchange(request, "pulling " + name);
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw pullRefused(name, response.statusCode(), OllamaClient.readError(in));
      }
      BoundedLineReader lines = new BoundedLineReader(in, 1 << 20);
      PullProgress progress = new PullProgress(name);
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        if (event.hasNonNull("error")) {
          throw new LlmException.Permanent(
              "model " + name + " cannot be pulled: " + event.get("error").asString(), null);
        }
        String status = event.path("status").asString("");
        if (status.equals("success")) {
          return;
        }
        progress.report(status, event.path("completed").asLong(0), event.path("total").asLong(0));
      }
      throw new LlmException.Retryable("pull of " + name + " ended without success", null);
    } catch (IOException e) {
      throw new LlmException.Retryable("pull of " + name + " broke off: " + e.getMessage(), e);
    } catch (JacksonException e) {
      throw new LlmException.Retryable("pull of " + name + ": malformed progress line", e);
    }
  }

  private static LlmException pullRefused(String name, int status, String body) {
    LlmException e = OllamaClient.statusError(status, body, name);
    return e instanceof LlmException.Retryable
        ? e
        : new LlmException.Permanent("model " + name + " cannot be pulled: " + e.getMessage(), e);
  }

  private String send(HttpRequest request, String what) {
    HttpResponse<InputStream> response = exchange(request, what);
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        throw new LlmException.Retryable(what + ": answer larger than " + MAX_ANSWER_BYTES, null);
      }
      String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      if (response.statusCode() != 200) {
        throw OllamaClient.statusError(response.statusCode(), body, "");
      }
      return body;
    } catch (IOException e) {
      throw new LlmException.Retryable(what + ": " + e.getMessage(), e);
    }
  }

  private HttpResponse<InputStream> exchange(HttpRequest request, String what) {
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      reachability.succeeded(Dependency.OLLAMA);
      return response;
    } catch (IOException e) {
      String message = "Ollama unreachable while " + what + ": " + OllamaClient.describe(e);
      reachability.failed(Dependency.OLLAMA, message);
      throw new LlmException.Retryable(LlmException.Failure.UNREACHABLE, message, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted while " + what);
    }
  }

  /** Logs a pull's progress at each new status and every tenth of a layer. */
  private static final class PullProgress {
    private final String name;
    private String lastStatus = "";
    private long lastTenth = -1;

    PullProgress(String name) {
      this.name = name;
    }

    void report(String status, long completed, long total) {
      long tenth = total > 0 ? completed * 10 / total : -1;
      if (!status.equals(lastStatus)) {
        lastStatus = status;
        lastTenth = tenth;
        log.info("pull {}: {}", name, status);
      } else if (tenth > lastTenth) {
        lastTenth = tenth;
        log.info("pull {}: {} {}%", name, status, tenth * 10);
      }
    }
  }
}
