package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.GoDuration;
import dev.gollm.processor.http.HttpAnswer;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNumber;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.schedule.Durations;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models into Ollama's memory before generations need them, so that the load (seconds on a
 * GPU, tens of seconds on a CPU) is paid under OLLAMA_LOAD_TIMEOUT rather than inside a
 * generation's REQUEST_TIMEOUT. A load is Ollama's preload idiom: a chat request with no messages,
 * carrying the keep_alive and the context window the generations will use (another {@code num_ctx}
 * would make Ollama load the model again).
 *
 * <p>It remembers what it believes is loaded: a model is taken as resident until its keep_alive has
 * run out since its last request, less a tenth for safety. When the belief is wrong (Ollama
 * restarted, or unloaded the model to make room), the generation pays the load after all; a
 * generation that fails forgets the belief, so its retry loads first.
 */
final class ModelLoader {
  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  /**
   * What the processor believes Ollama holds.
   *
   * @param numCtx the context window it was loaded with (0 = Ollama's own)
   * @param until when keep_alive runs out, less a margin ({@link Instant#MAX}: never)
   * @param contextLength the window Ollama reports in /api/ps, or 0 when it does not say
   */
  record Resident(int numCtx, Instant until, int contextLength) {}

  private final HttpTransport http;
  private final URI base;
  private final Duration loadTimeout;
  private final Duration callTimeout;
  private final Duration keepAlive;
  // keep_alive less a tenth (see above), computed once.
  private final Duration believedResident;
  private final InstantSource clock;
  private final LlmReachability reachability;
  private final ModelReadiness readiness;
  private final Map<String, Resident> resident = new ConcurrentHashMap<>();
  private final SharedWork loads = new SharedWork();

  ModelLoader(
      HttpTransport http,
      URI base,
      OllamaSettings settings,
      InstantSource clock,
      LlmReachability reachability,
      ModelReadiness readiness) {
    this.http = http;
    this.base = base;
    this.loadTimeout = settings.loadTimeout();
    this.callTimeout = settings.requestTimeout();
    this.keepAlive = settings.keepAlive();
    this.believedResident = keepAlive.minus(Durations.dividedBy(keepAlive, 10));
    this.clock = clock;
    this.reachability = reachability;
    this.readiness = readiness;
  }

  /** keep_alive as Ollama reads it: a Go duration string ("30m", "-1s" for ever). */
  String keepAliveValue() {
    return GoDuration.format(keepAlive);
  }

  /**
   * Returns once the model is loaded with the context window {@code numCtx} (0 = Ollama's own),
   * loading it when it may not be; concurrent callers share one load. With a keep_alive of 0 there
   * is nothing to load ahead: Ollama would unload the model again at once.
   */
  void ensureLoaded(String model, int numCtx, CancelSignal cancel) {
    String name = ModelCatalog.canonical(model);
    // A caller that joined a load for another window loads again, once.
    for (int round = 0; round < 2 && !keepAlive.isZero() && !isResident(name, numCtx); round++) {
      loads.await(
          "model-load-" + name,
          abandoned -> load(name, numCtx),
          loadTimeout.plus(callTimeout),
          cancel);
    }
  }

  /** Whether the model is believed loaded with that context window now. */
  boolean isResident(String model, int numCtx) {
    Resident r = resident.get(ModelCatalog.canonical(model));
    return r != null && r.numCtx() == numCtx && clock.instant().isBefore(r.until());
  }

  /** The context window Ollama reported for the loaded model, or 0 when unknown. */
  int contextLength(String model) {
    Resident r = resident.get(ModelCatalog.canonical(model));
    return r == null ? 0 : r.contextLength();
  }

  /** Records a generation that just ended on the model: keep_alive starts again. */
  void used(String model, int numCtx) {
    resident.compute(
        ModelCatalog.canonical(model),
        (name, r) ->
            new Resident(
                numCtx,
                residentUntil(),
                r != null && r.numCtx() == numCtx ? r.contextLength() : 0));
  }

  /** Forgets what is believed of the model, so the next generation loads it first. */
  void forget(String model) {
    resident.remove(ModelCatalog.canonical(model));
  }

  private Instant residentUntil() {
    if (keepAlive.isNegative()) {
      return Instant.MAX;
    }
    return clock.instant().plus(believedResident);
  }

  private void load(String name, int numCtx) {
    readiness.busy(name, "loading");
    long t0 = System.nanoTime();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", name);
    body.put("messages", List.of());
    body.put("stream", false);
    body.put("keep_alive", keepAliveValue());
    if (numCtx > 0) {
      body.put("options", Map.of("num_ctx", numCtx));
    }
    HttpCall request = HttpCall.postJson(base.resolve("/api/chat"), Json.write(body), loadTimeout);
    try {
      String answer = send(request, "loading " + name, name);
      String reason = Json.parse(answer).path("done_reason").asString("");
      if (!reason.equals("load")) {
        log.debug("loading {}: Ollama answered done_reason '{}'", name, reason);
      }
    } catch (JsonException e) {
      throw new LlmException.Retryable("loading " + name + ": Ollama's answer is not JSON", e);
    } catch (LlmException e) {
      if (!(e instanceof LlmException.Retryable)) {
        readiness.failed(name, e.getMessage());
      }
      throw e;
    }
    int contextLength = loadedContext(name);
    resident.put(name, new Resident(numCtx, residentUntil(), contextLength));
    readiness.ready(name);
    log.info(
        "model {} loaded in {} ms (context window {}, keep_alive {})",
        name,
        (System.nanoTime() - t0) / 1_000_000,
        contextLength == 0 ? "not reported" : contextLength + " tokens",
        keepAliveValue());
  }

  /** The context_length /api/ps reports for the loaded model (newer Ollama versions), or 0. */
  private int loadedContext(String name) {
    HttpCall request = HttpCall.get(base.resolve("/api/ps"), callTimeout);
    try {
      for (JsonValue m :
          Json.parse(send(request, "listing loaded models", name)).path("models").elements()) {
        String listed = m.path("model").asString(m.path("name").asString(""));
        if (ModelCatalog.canonical(listed).equals(name)
            && m.path("context_length") instanceof JsonNumber(Integer length)) {
          return length;
        }
      }
    } catch (JsonException | LlmException e) {
      log.debug("cannot learn the context window of {}: {}", name, e.getMessage());
    }
    return 0;
  }

  private String send(HttpCall request, String what, String model) {
    HttpAnswer answer;
    try {
      answer = http.exchange(request, MAX_ANSWER_BYTES);
    } catch (HttpFailure.TimedOut e) {
      throw new LlmException.Retryable(what + ": no answer in time", e);
    } catch (HttpFailure.Aborted e) {
      throw new LlmException.Cancelled("interrupted while " + what);
    } catch (HttpFailure e) {
      String message = "Ollama unreachable while " + what + ": " + OllamaClient.describe(e);
      reachability.unreachable(message);
      throw new LlmException.Retryable(message, e);
    }
    reachability.reached();
    String text = answer.text();
    if (answer.status() != 200) {
      throw OllamaClient.statusError(answer.status(), text, model);
    }
    return text;
  }
}
