package dev.gollm.processor.llm.openai;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.http.HttpAnswer;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpStream;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonString;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.llm.StreamingExchange;
import dev.gollm.processor.llm.WholeAnswer;
import dev.gollm.processor.sse.SseEvent;
import dev.gollm.processor.sse.SseEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LlmClient} over an OpenAI-compatible API (vLLM, llama-server, LM Studio, TGI, hosted
 * APIs): {@code /v1/chat/completions}, whole or streamed as server-sent events, models from {@code
 * /v1/models} (no pulls), an optional key sent as a Bearer token.
 *
 * <p>The guarantees match the Ollama client's: {@code requestTimeout} bounds the whole generation,
 * {@code idleTimeout} (streamed) the silence between bytes once the answer has started, and both
 * (and a cancel) abort by closing the connection, which ends the generation on the server. The
 * answer is bounded in size, and so is every event.
 */
public final class OpenAiClient implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(OpenAiClient.class);
  private static final int MAX_EVENT_BYTES = 1 << 20;
  private static final int MAX_ERROR_BYTES = 4096;
  private static final int MAX_LIST_BYTES = 4 << 20;
  private static final int MAX_ANSWER_CHARS = 4 << 20;
  private static final int MAX_WHOLE_BYTES = 16 << 20;

  /** How often a model the server does not list may make us list again. */
  public static final Duration MODEL_LIST_REFRESH = Duration.ofSeconds(30);

  private final HttpTransport http;
  private final URI base;
  private final String apiKey;
  private final Duration requestTimeout;
  private final boolean stream;
  private final Duration idleTimeout;
  private final ScheduledExecutorService timers;
  private final LlmReachability reachability;
  private final ModelList models;

  /**
   * @param apiKey sent as {@code Authorization: Bearer}; null or empty for none
   * @param stream ask for a streamed answer (server-sent events, a chunk per token)
   * @param reachability told of every answer and every failure to connect
   */
  public OpenAiClient(
      HttpTransport http,
      URI base,
      String apiKey,
      Duration requestTimeout,
      boolean stream,
      Duration idleTimeout,
      ScheduledExecutorService timers,
      LlmReachability reachability,
      Clock clock) {
    this.http = http;
    this.base = withoutV1(base);
    this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
    this.requestTimeout = requestTimeout;
    this.stream = stream;
    this.idleTimeout = idleTimeout;
    this.timers = timers;
    this.reachability = reachability;
    this.models = new ModelList(this::listModels, clock, MODEL_LIST_REFRESH, this.base.toString());
  }

  /** OpenAI clients are often given ".../v1" as the base; the paths here include it. */
  static URI withoutV1(URI base) {
    String s = base.toString();
    return s.endsWith("/v1") ? URI.create(s.substring(0, s.length() - 3)) : base;
  }

  /** Lists the models: proves the server answers and refreshes what it offers. */
  @Override
  public void ping() {
    models.refresh();
  }

  /** Fails at once (Permanent) when the server does not list the model; never pulls. */
  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    if (cancel.isCancelled()) {
      throw new LlmException.Cancelled(cancel.reason());
    }
    models.require(model);
  }

  /** False only when the server's model list is known and lacks the model. */
  public boolean mayServe(String model) {
    return models.mayServe(model);
  }

  /** The server family seen in the last model list. */
  public ServerFamily family() {
    return models.family();
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    HttpCall call =
        authorized(
            HttpCall.postJson(
                    base.resolve(base.getPath() + "/v1/chat/completions"),
                    Json.write(OpenAiRequest.body(request, models.family(), stream)),
                    requestTimeout)
                .withHeader("Accept", stream ? "text/event-stream" : "application/json"));
    return StreamingExchange.run(
        http,
        timers,
        requestTimeout,
        idleTimeout,
        call,
        cancel,
        this::read,
        (cause, streaming) ->
            streaming
                ? new LlmException.Retryable(
                    Failure.BROKEN_STREAM,
                    "the stream from " + base + " broke: " + describe(cause),
                    cause)
                : unreachable("generating", cause));
  }

  private HttpCall authorized(HttpCall call) {
    return apiKey == null ? call : call.withHeader("Authorization", "Bearer " + apiKey);
  }

  private ModelList.Listing listModels() {
    HttpCall request =
        authorized(HttpCall.get(base.resolve(base.getPath() + "/v1/models"), requestTimeout));
    HttpAnswer answer;
    try {
      answer = http.exchange(request, MAX_LIST_BYTES);
    } catch (HttpFailure.Aborted e) {
      throw new LlmException.Cancelled("interrupted while listing models");
    } catch (HttpFailure e) {
      throw unreachable("listing models", e);
    }
    reachability.reached();
    String body = answer.text();
    if (answer.status() != 200) {
      LlmException e =
          OpenAiErrors.forStatus(
              answer.status(),
              body,
              answer.header("Retry-After").orElse(null),
              base + "/v1/models");
      // Listing models is not a task's request: a 4xx here is the server's setup, not the task's.
      throw e instanceof LlmException.Retryable r
          ? r
          : new LlmException.Retryable(Failure.OTHER, e.getMessage(), e);
    }
    if (answer.truncated()) {
      throw new LlmException.Retryable(
          Failure.OTHER, base + "/v1/models: answer larger than " + MAX_LIST_BYTES, null);
    }
    return parseListing(body);
  }

  static ModelList.Listing parseListing(String body) {
    try {
      JsonValue data = Json.parse(body).path("data");
      List<String> ids = new ArrayList<>();
      ServerFamily family = ServerFamily.GENERIC;
      for (JsonValue m : data.elements()) {
        if (m.path("id") instanceof JsonString(String id)) {
          ids.add(id);
          if (family == ServerFamily.GENERIC) {
            family = ServerFamily.fromOwnedBy(m.path("owned_by").asString(""));
          }
        }
      }
      return new ModelList.Listing(ids, family);
    } catch (JsonException e) {
      throw new LlmException.Retryable(
          Failure.OTHER, "the model list is not JSON: " + OpenAiErrors.abbreviate(body), e);
    }
  }

  private LlmException.Retryable unreachable(String what, Throwable cause) {
    String message = base + " unreachable while " + what + ": " + describe(cause);
    reachability.unreachable(message);
    return new LlmException.Retryable(Failure.UNREACHABLE, message, cause);
  }

  private Generation read(HttpStream response, StreamingExchange exchange) throws IOException {
    InputStream stream = response.body();
    reachability.reached();
    if (response.status() != 200) {
      LlmException e =
          OpenAiErrors.forStatus(
              response.status(),
              readError(stream),
              response.header("Retry-After").orElse(null),
              base.toString());
      if (response.status() == 404) {
        models.forget(); // it listed the model, yet does not have it: list again next time
      }
      throw e;
    }
    if (!this.stream) {
      return readWhole(stream, exchange.startNanos());
    }
    exchange.dataArrived();
    return readStream(stream, exchange);
  }

  /** Reads a whole completion; only llama-server's timings tell when its first token came. */
  private Generation readWhole(InputStream body, long startNanos) throws IOException {
    String json =
        WholeAnswer.read(body, MAX_WHOLE_BYTES, "limit it with max_tokens in ollama_params");
    long elapsed = System.nanoTime() - startNanos;
    OpenAiAnswer answer = new OpenAiAnswer(MAX_ANSWER_CHARS);
    answer.acceptWhole(json);
    OpenAiAnswer.Summary s = answer.summary();
    return new Generation(
        s.text(),
        s.finishReason(),
        Math.max(0, s.completionTokens()),
        Duration.ofNanos(Math.max(0, s.serverEvalNanos())),
        Math.max(0, s.promptTokens()),
        Duration.ZERO,
        WholeAnswer.firstToken(s.text().isEmpty(), elapsed, s.serverEvalNanos()),
        Duration.ofNanos(elapsed));
  }

  /** Reads the server's event stream; the idle limit starts with the response headers. */
  private Generation readStream(InputStream stream, StreamingExchange exchange) throws IOException {
    long startNanos = exchange.startNanos();
    SseEventParser events = new SseEventParser(stream, MAX_EVENT_BYTES, exchange::dataArrived);
    OpenAiAnswer answer = new OpenAiAnswer(MAX_ANSWER_CHARS);
    long firstTokenNanos = -1;
    long lastTokenNanos = -1;
    for (SseEvent event = events.next(); event != null; event = events.next()) {
      int before = answer.length();
      if (answer.accept(event.data())) {
        long now = System.nanoTime();
        OpenAiAnswer.Summary s = answer.summary();
        long clientEval = firstTokenNanos < 0 ? 0 : lastTokenNanos - firstTokenNanos;
        return new Generation(
            s.text(),
            s.finishReason(),
            s.completionTokens() >= 0 ? s.completionTokens() : s.contentChunks(),
            Duration.ofNanos(s.serverEvalNanos() >= 0 ? s.serverEvalNanos() : clientEval),
            Math.max(0, s.promptTokens()),
            Duration.ZERO,
            firstTokenNanos < 0 ? null : Duration.ofNanos(firstTokenNanos - startNanos),
            Duration.ofNanos(now - startNanos));
      }
      if (answer.length() > before) {
        lastTokenNanos = System.nanoTime();
        if (firstTokenNanos < 0) {
          firstTokenNanos = lastTokenNanos;
        }
      }
    }
    throw new LlmException.Retryable(
        Failure.BROKEN_STREAM, "the stream from " + base + " ended without [DONE]", null);
  }

  private static String readError(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
