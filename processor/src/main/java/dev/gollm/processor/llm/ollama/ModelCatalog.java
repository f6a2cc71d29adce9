package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.http.HttpAnswer;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpStream;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNumber;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.schedule.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which models Ollama has. A model is looked up in {@code /api/tags} once, pulled when
 * missing, and remembered until Ollama says it is gone; concurrent callers wait on one check. A
 * pull that fails transiently (a network error, a cut stream, Ollama busy) is tried again with
 * backoff within PULL_TIMEOUT, for everyone waiting; a final failure (the registry has no such
 * model) fails at once.
 */
final class ModelCatalog {
  private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

  /** Bounds a model list or version answer (a list of thousands of models is well under it). */
  private static final int MAX_ANSWER_BYTES = 16 << 20;

  private static final Duration FIRST_PULL_RETRY = Duration.ofMillis(500);
  private static final Duration LONGEST_PULL_RETRY = Duration.ofSeconds(30);

  private final HttpTransport http;
  private final URI base;
  private final Duration callTimeout;
  private final Duration pullTimeout;
  private final LlmReachability reachability;
  private final ModelReadiness readiness;
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> trainedContext = new ConcurrentHashMap<>();
  private final SharedWork checks = new SharedWork();

  ModelCatalog(
      HttpTransport http,
      URI base,
      Duration callTimeout,
      Duration pullTimeout,
      LlmReachability reachability,
      ModelReadiness readiness) {
    this.http = http;
    this.base = base;
    this.callTimeout = callTimeout;
    this.pullTimeout = pullTimeout;
    this.reachability = reachability;
    this.readiness = readiness;
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
    checks.await(
        "model-check-" + name,
        abandoned -> makePresent(name, abandoned),
        pullTimeout.plus(callTimeout),
        cancel);
  }

  /**
   * The context length the model was trained for ({@code model_info}'s {@code
   * <arch>.context_length} in {@code /api/show}), or 0 when Ollama does not say.
   */
  int trainedContext(String model) {
    String name = canonical(model);
    Integer known = trainedContext.get(name);
    if (known != null) {
      return known;
    }
    HttpCall request =
        HttpCall.postJson(
            base.resolve("/api/show"), Json.write(Map.of("model", name)), callTimeout);
    int length = 0;
    try {
      for (Map.Entry<String, JsonValue> e :
          Json.parse(send(request, "showing " + name)).path("model_info").members().entrySet()) {
        if (e.getKey().endsWith(".context_length")
            && e.getValue() instanceof JsonNumber n
            && n.fitsInt()) {
          length = n.intValue();
        }
      }
    } catch (JsonException e) {
      throw new LlmException.Retryable("Ollama's description of " + name + " is not JSON", e);
    }
    trainedContext.put(name, length);
    return length;
  }

  /** Forgets a model Ollama reported missing, so the next task checks again. */
  void forget(String model) {
    present.remove(canonical(model));
    trainedContext.remove(canonical(model));
  }

  /** GET /api/version: the cheapest call that proves Ollama answers. */
  void ping() {
    send(HttpCall.get(base.resolve("/api/version"), callTimeout), "asking its version");
  }

  private void makePresent(String name, CancelSignal abandoned) {
    refreshFromTags();
    if (present.contains(name)) {
      return;
    }
    log.info("model {} is not on Ollama; pulling it (up to {})", name, pullTimeout);
    readiness.busy(name, "pulling");
    try {
      pullWithRetries(name, abandoned);
    } catch (LlmException.Permanent e) {
      readiness.failed(name, e.getMessage());
      throw e;
    }
    present.add(name);
    log.info("model {} pulled", name);
  }

  /** Pulls, trying again after transient failures until PULL_TIMEOUT has passed. */
  private void pullWithRetries(String name, CancelSignal abandoned) {
    long deadline = System.nanoTime() + pullTimeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        pull(name, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        return;
      } catch (LlmException.Retryable e) {
        Duration delay = retryDelay(attempt);
        if (System.nanoTime() + delay.toNanos() - deadline > 0) {
          throw new LlmException.Retryable(
              "pull of " + name + " kept failing for " + pullTimeout + "; last: " + e.getMessage(),
              e);
        }
        log.warn(
            "pull {} attempt {} failed: {}; retrying in {} ms",
            name,
            attempt,
            e.getMessage(),
            delay.toMillis());
        readiness.busy(name, "pulling: attempt " + attempt + " failed, retrying");
        if (waitOrAbandon(abandoned, delay)) {
          throw new LlmException.Retryable(
              "pull of " + name + " not retried: " + abandoned.reason(), e);
        }
      }
    }
  }

  /** 0.5 s, 1 s, 2 s, ... up to 30 s. */
  static Duration retryDelay(int attempt) {
    Duration d = Durations.times(FIRST_PULL_RETRY, 1L << Math.min(attempt - 1, 16));
    return d.compareTo(LONGEST_PULL_RETRY) > 0 ? LONGEST_PULL_RETRY : d;
  }

  /** Waits {@code delay} unless the signal fires first; true when it fired. */
  private static boolean waitOrAbandon(CancelSignal signal, Duration delay) {
    CountDownLatch fired = new CountDownLatch(1);
    CancelSignal.Registration registration = signal.onCancel(fired::countDown);
    try {
      return fired.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      registration.close();
    }
  }

  /**
   * Whether an error Ollama reported during a pull is final: the registry has no such model, or
   * refuses it. Pull errors carry nothing but a message, so this is the one place that reads one;
   * anything else (a reset connection, an unexpected EOF, a timeout) counts as transient.
   */
  static boolean isFinalPullError(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("file does not exist")
        || m.contains("not found")
        || m.contains("invalid model name")
        || m.contains("unauthorized")
        || m.contains("denied");
  }

  private void refreshFromTags() {
    String body = send(HttpCall.get(base.resolve("/api/tags"), callTimeout), "listing models");
    try {
      for (JsonValue m : Json.parse(body).path("models").elements()) {
        for (String key : new String[] {"name", "model"}) {
          if (m.hasNonNull(key)) {
            present.add(canonical(m.get(key).asString()));
          }
        }
      }
    } catch (JsonException e) {
      throw new LlmException.Retryable("Ollama's model list is not JSON", e);
    }
  }

  private void pull(String name, Duration timeout) {
    HttpCall request =
        HttpCall.postJson(
            base.resolve("/api/pull"), Json.write(Map.of("model", name, "stream", true)), timeout);
    try (HttpStream response = http.stream(request)) {
      try {
        response.send();
      } catch (HttpFailure e) {
        throw failed(e, "pulling " + name);
      }
      reachability.reached();
      InputStream in = response.body();
      if (response.status() != 200) {
        throw pullRefused(name, response.status(), OllamaClient.readError(in));
      }
      BoundedLineReader lines = new BoundedLineReader(in, 1 << 20);
      PullProgress progress = new PullProgress(name);
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonValue event = Json.parse(line);
        if (event.hasNonNull("error")) {
          String error = event.get("error").asString();
          String message = "model " + name + " cannot be pulled: " + error;
          throw isFinalPullError(error)
              ? new LlmException.Permanent(message, null)
              : new LlmException.Retryable(message, null);
        }
        String status = event.path("status").asString("");
        if (status.equals("success")) {
          return;
        }
        progress.report(status, event.path("completed").asLong(0), event.path("total").asLong(0));
        reachability.reached();
      }
      throw new LlmException.Retryable("pull of " + name + " ended without success", null);
    } catch (IOException e) {
      throw new LlmException.Retryable("pull of " + name + " broke off: " + e.getMessage(), e);
    } catch (JsonException e) {
      throw new LlmException.Retryable("pull of " + name + ": malformed progress line", e);
    }
  }

  private static LlmException pullRefused(String name, int status, String body) {
    LlmException e = OllamaClient.statusError(status, body, name);
    return e instanceof LlmException.Retryable
        ? e
        : new LlmException.Permanent("model " + name + " cannot be pulled: " + e.getMessage(), e);
  }

  private String send(HttpCall request, String what) {
    HttpAnswer answer;
    try {
      answer = http.exchange(request, MAX_ANSWER_BYTES);
    } catch (HttpFailure e) {
      throw failed(e, what);
    }
    reachability.reached();
    if (answer.truncated()) {
      throw new LlmException.Retryable(what + ": answer larger than " + MAX_ANSWER_BYTES, null);
    }
    String body = answer.text();
    if (answer.status() != 200) {
      throw OllamaClient.statusError(answer.status(), body, "");
    }
    return body;
  }

  private LlmException failed(HttpFailure e, String what) {
    if (e instanceof HttpFailure.Aborted) {
      return new LlmException.Cancelled("interrupted while " + what);
    }
    String message = "Ollama unreachable while " + what + ": " + OllamaClient.describe(e);
    reachability.unreachable(message);
    return new LlmException.Retryable(LlmException.Failure.UNREACHABLE, message, e);
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
