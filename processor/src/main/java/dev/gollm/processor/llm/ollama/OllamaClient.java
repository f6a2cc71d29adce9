package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonObject;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.llm.StreamingExchange;
import dev.gollm.processor.llm.WholeAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LlmClient} over Ollama's native API: {@code /api/chat} with every sampling parameter
 * inside {@code options} and the keep_alive and context window settings, model presence through
 * {@code /api/tags}, {@code /api/pull} with its own, longer timeout, and loads ahead of generations
 * ({@link ModelLoader}). The answer comes whole, or streamed a line per token when the settings ask
 * for it: a line wakes the processor, so a whole answer costs one wake-up where a stream costs one
 * per token.
 *
 * <p>{@code requestTimeout} bounds a generation from sending the request to the answer's end
 * (Ollama's queue included; a load this client started beforehand is not). A stream is also bounded
 * by {@code idleTimeout} between chunks once the first has arrived (a queued or loading request
 * receives no bytes at all, so silence before the first chunk is only the request timeout's
 * business). Both abort by closing the connection, which is what makes Ollama free the slot.
 *
 * <p>An answer to a prompt Ollama cut to fit the context window is never returned ({@link
 * ContextWindow}).
 */
public final class OllamaClient implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(OllamaClient.class);
  private static final int MAX_LINE_BYTES = 4 << 20;
  private static final int MAX_ANSWER_BYTES = 16 << 20;
  private static final int MAX_ERROR_BYTES = 4096;

  private final HttpTransport http;
  private final URI base;
  private final Duration requestTimeout;
  private final boolean stream;
  private final Duration idleTimeout;
  private final ScheduledExecutorService timers;
  private final LlmReachability reachability;
  private final ModelCatalog models;
  private final ModelLoader loader;
  private final ContextWindow window;

  public OllamaClient(
      HttpTransport http,
      URI base,
      OllamaSettings settings,
      ScheduledExecutorService timers,
      LlmReachability reachability) {
    this(http, base, settings, timers, reachability, InstantSource.system());
  }

  OllamaClient(
      HttpTransport http,
      URI base,
      OllamaSettings settings,
      ScheduledExecutorService timers,
      LlmReachability reachability,
      InstantSource clock) {
    this.http = http;
    this.base = base;
    this.requestTimeout = settings.requestTimeout();
    this.stream = settings.stream();
    this.idleTimeout = settings.idleTimeout();
    this.timers = timers;
    this.reachability = reachability;
    ModelReadiness readiness = new ModelReadiness(settings.defaultModel(), reachability);
    this.models =
        new ModelCatalog(
            http, base, settings.requestTimeout(), settings.pullTimeout(), reachability, readiness);
    this.loader = new ModelLoader(http, base, settings, clock, reachability, readiness);
    this.window = new ContextWindow(settings.numCtx());
  }

  @Override
  public void ping() {
    models.ping();
  }

  /** Makes sure the model is present (pulling it if needed) and loaded. */
  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    try {
      models.ensure(model, cancel);
      loader.ensureLoaded(model, window.forLoad(model), cancel);
    } catch (LlmException.ModelMissing e) {
      models.forget(model);
      throw e;
    }
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    String model = request.model();
    try {
      int trained = window.isAuto() ? models.trainedContext(model) : 0;
      int numCtx = window.forRequest(request, trained);
      loader.ensureLoaded(model, numCtx, cancel);
      int known = numCtx > 0 ? numCtx : loader.contextLength(model);
      window.checkFits(request, known);
      Generation g = generate(request, numCtx, cancel);
      loader.used(model, numCtx);
      window.checkNotCut(request, known, g.promptEvalCount(), trained);
      return g;
    } catch (LlmException.ModelMissing e) {
      models.forget(model);
      loader.forget(model);
      throw e;
    } catch (LlmException.Retryable e) {
      loader.forget(model);
      throw e;
    }
  }

  private Generation generate(ChatRequest request, int numCtx, CancelSignal cancel) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", request.model());
    body.put(
        "messages",
        List.of(
            Map.of("role", "system", "content", request.system()),
            Map.of("role", "user", "content", request.user())));
    body.put("stream", stream);
    body.put("keep_alive", loader.keepAliveValue());
    Map<String, Object> options = new LinkedHashMap<>(request.options());
    if (numCtx > 0) {
      options.put("num_ctx", numCtx);
    }
    if (!options.isEmpty()) {
      body.put("options", options);
    }
    HttpCall call = HttpCall.postJson(base.resolve("/api/chat"), Json.write(body), requestTimeout);
    return StreamingExchange.run(
        http,
        timers,
        requestTimeout,
        idleTimeout,
        call,
        cancel,
        (response, exchange) -> {
          reachability.reached();
          if (response.status() != 200) {
            throw statusError(response.status(), readError(response.body()), request.model());
          }
          return stream
              ? readStream(response.body(), exchange)
              : readWhole(response.body(), exchange.startNanos());
        },
        (cause, streaming) -> {
          String message = "Ollama unreachable: " + describe(cause);
          reachability.unreachable(message);
          return new LlmException.Retryable(Failure.UNREACHABLE, message, cause);
        });
  }

  /** Reads Ollama's NDJSON answer; the idle limit starts with the first chunk. */
  private static Generation readStream(InputStream stream, StreamingExchange exchange)
      throws IOException {
    long startNanos = exchange.startNanos();
    BoundedLineReader lines = new BoundedLineReader(stream, MAX_LINE_BYTES);
    StringBuilder text = new StringBuilder();
    Duration firstToken = null;
    String line;
    while ((line = lines.readLine()) != null) {
      exchange.dataArrived();
      if (line.isBlank()) {
        continue;
      }
      ChatChunk chunk = parse(line, false);
      String piece = chunk.content();
      if (!piece.isEmpty()) {
        if (firstToken == null) {
          firstToken = Duration.ofNanos(System.nanoTime() - startNanos);
        }
        text.append(piece);
      }
      if (chunk.done()) {
        return generation(
            chunk, text.toString(), firstToken, Duration.ofNanos(System.nanoTime() - startNanos));
      }
    }
    throw new LlmException.Retryable(
        Failure.BROKEN_STREAM, "Ollama's stream ended before the final chunk", null);
  }

  /** Reads Ollama's answer as one object ({@code "stream": false}). */
  static Generation readWhole(InputStream body, long startNanos) throws IOException {
    String json =
        WholeAnswer.read(body, MAX_ANSWER_BYTES, "limit it with num_predict in ollama_params");
    long elapsed = System.nanoTime() - startNanos;
    ChatChunk answer = parse(json, true);
    if (!answer.done()) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM, "Ollama's answer is not final: " + abbreviate(json), null);
    }
    Duration firstToken =
        WholeAnswer.firstToken(answer.content().isEmpty(), elapsed, answer.evalDurationNanos());
    return generation(answer, answer.content(), firstToken, Duration.ofNanos(elapsed));
  }

  /**
   * A line of the stream, or the whole answer; an error Ollama put in its place is thrown.
   *
   * @param whole whether it is the whole answer
   */
  private static ChatChunk parse(String json, boolean whole) {
    ChatChunk chunk;
    try {
      chunk = ChatChunk.parse(json);
    } catch (JsonException e) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM,
          (whole ? "malformed answer from Ollama: " : "malformed line in Ollama's stream: ")
              + abbreviate(json),
          e);
    }
    if (chunk.error() != null) {
      // Streamed, an error after the answer began carries no status: it failed mid-answer.
      throw new LlmException.Retryable(
          Failure.SERVER_ERROR,
          (whole ? "Ollama failed: " : "Ollama failed mid-stream: ") + chunk.error().asString(),
          null);
    }
    return chunk;
  }

  private static Generation generation(
      ChatChunk last, String text, Duration firstToken, Duration elapsed) {
    return new Generation(
        text,
        last.doneReason(),
        last.evalCount(),
        Duration.ofNanos(last.evalDurationNanos()),
        last.promptEvalCount(),
        Duration.ofNanos(last.loadDurationNanos()),
        firstToken,
        elapsed);
  }

  static LlmException statusError(int status, String body, String model) {
    String message = "Ollama answered HTTP " + status + ": " + errorMessage(body);
    if (status == 404) {
      return new LlmException.ModelMissing("model " + model + " not found: " + message);
    }
    if (status == 503 || status == 429) {
      return new LlmException.Retryable(Failure.BUSY, message, null);
    }
    if (status >= 500 || status == 408) {
      return new LlmException.Retryable(Failure.SERVER_ERROR, message, null);
    }
    return new LlmException.Permanent(message, null);
  }

  static String readError(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
    }
  }

  /** The {@code error} field of an Ollama error body, or the body itself. */
  static String errorMessage(String body) {
    try {
      JsonValue node = Json.parse(body);
      if (node.hasNonNull("error")) {
        JsonValue error = node.get("error");
        return error instanceof JsonObject ? error.path("message").asString() : error.asString();
      }
    } catch (JsonException e) {
      log.debug("Ollama error body is not JSON", e);
    }
    return abbreviate(body.strip());
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
