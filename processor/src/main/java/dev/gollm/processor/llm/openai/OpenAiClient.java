package dev.gollm.processor.llm.openai;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.sse.SseEvent;
import dev.gollm.processor.sse.SseEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link LlmClient} over an OpenAI-compatible API (vLLM, llama-server, LM Studio, TGI, hosted
 * APIs): streamed {@code /v1/chat/completions} read as server-sent events, models from {@code
 * /v1/models} (no pulls), an optional key sent as a Bearer token.
 *
 * <p>The guarantees match the Ollama client's: {@code requestTimeout} bounds the whole generation,
 * {@code idleTimeout} the silence between bytes once the answer has started, and both (and a
 * cancel) abort by closing the HTTP stream, which ends the generation on the server. The answer is
 * bounded in size, and so is every event.
 */
public final class OpenAiClient implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(OpenAiClient.class);
  private static final JsonMapper JSON = JsonMapper.shared();
  private static final int MAX_EVENT_BYTES = 1 << 20;
  private static final int MAX_ERROR_BYTES = 4096;
  private static final int MAX_LIST_BYTES = 4 << 20;
  private static final int MAX_ANSWER_CHARS = 4 << 20;

  /** How often a model the server does not list may make us list again. */
  public static final Duration MODEL_LIST_REFRESH = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI base;
  private final String apiKey;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final ScheduledExecutorService timers;
  private final LlmReachability reachability;
  private final ModelList models;

  /**
   * @param apiKey sent as {@code Authorization: Bearer}; null or empty for none
   * @param reachability told of every answer and every failure to connect
   */
  public OpenAiClient(
      HttpClient http,
      URI base,
      String apiKey,
      Duration requestTimeout,
      Duration idleTimeout,
      ScheduledExecutorService timers,
      LlmReachability reachability,
      Clock clock) {
    this.http = http;
    this.base = withoutV1(base);
    this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
    this.requestTimeout = requestTimeout;
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
    HttpRequest httpRequest =
        authorized(HttpRequest.newBuilder(base.resolve(base.getPath() + "/v1/chat/completions")))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    JSON.writeValueAsBytes(OpenAiRequest.body(request, models.family()))))
            .build();
    Attempt attempt = new Attempt(System.nanoTime());
    CancelSignal.Registration onCancel = cancel.onCancel(() -> attempt.abort(null));
    try {
      attempt.deadline =
          timers.schedule(
              () -> attempt.abort("no complete answer within " + requestTimeout.toSeconds() + "s"),
              requestTimeout.toNanos(),
              TimeUnit.NANOSECONDS);
      return attempt.run(httpRequest, request.model(), cancel);
    } finally {
      onCancel.close();
      attempt.finish();
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return apiKey == null ? builder : builder.header("Authorization", "Bearer " + apiKey);
  }

  private ModelList.Listing listModels() {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(base.resolve(base.getPath() + "/v1/models")))
            .timeout(requestTimeout)
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable("listing models", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted while listing models");
    }
    reachability.reached();
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_LIST_BYTES + 1);
      String body = new String(bytes, StandardCharsets.UTF_8);
      if (response.statusCode() != 200) {
        LlmException e =
            OpenAiErrors.forStatus(
                response.statusCode(),
                body,
                response.headers().firstValue("Retry-After").orElse(null),
                base + "/v1/models");
        // Listing models is not a task's request: a 4xx here is the server's setup, not the task's.
        throw e instanceof LlmException.Retryable r
            ? r
            : new LlmException.Retryable(Failure.OTHER, e.getMessage(), e);
      }
      if (bytes.length > MAX_LIST_BYTES) {
        throw new LlmException.Retryable(
            Failure.OTHER, base + "/v1/models: answer larger than " + MAX_LIST_BYTES, null);
      }
      return parseListing(body);
    } catch (IOException e) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM, "listing models at " + base + ": " + e.getMessage(), e);
    }
  }

  static ModelList.Listing parseListing(String body) {
    try {
      JsonNode data = JSON.readTree(body).path("data");
      List<String> ids = new ArrayList<>();
      ServerFamily family = ServerFamily.GENERIC;
      for (JsonNode m : data) {
        if (m.path("id").isString()) {
          ids.add(m.path("id").stringValue());
          if (family == ServerFamily.GENERIC) {
            family = ServerFamily.fromOwnedBy(m.path("owned_by").asString(""));
          }
        }
      }
      return new ModelList.Listing(ids, family);
    } catch (JacksonException e) {
      throw new LlmException.Retryable(
          Failure.OTHER, "the model list is not JSON: " + OpenAiErrors.abbreviate(body), e);
    }
  }

  private LlmException.Retryable unreachable(String what, Throwable cause) {
    String message = base + " unreachable while " + what + ": " + describe(cause);
    reachability.unreachable(message);
    return new LlmException.Retryable(Failure.UNREACHABLE, message, cause);
  }

  /** One HTTP exchange of a generation, abortable from any thread. */
  private final class Attempt {
    private final long startNanos;
    private final AtomicLong lastBytesNanos = new AtomicLong();
    private volatile CompletableFuture<HttpResponse<InputStream>> pending;
    private volatile InputStream stream;
    private volatile String timeoutReason;
    private volatile boolean aborted;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> idleCheck;

    Attempt(long startNanos) {
      this.startNanos = startNanos;
    }

    /** Aborts the exchange; a null reason means an outside cancellation. */
    void abort(String timeout) {
      synchronized (this) {
        if (aborted) {
          return;
        }
        aborted = true;
        timeoutReason = timeout;
      }
      CompletableFuture<HttpResponse<InputStream>> p = pending;
      if (p != null) {
        p.cancel(true);
      }
      closeQuietly(stream);
    }

    void finish() {
      if (deadline != null) {
        deadline.cancel(false);
      }
      synchronized (this) {
        if (idleCheck != null) {
          idleCheck.cancel(false);
        }
      }
      closeQuietly(stream);
    }

    Generation run(HttpRequest httpRequest, String model, CancelSignal cancel) {
      try {
        pending = http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        if (aborted) {
          pending.cancel(true);
        }
        HttpResponse<InputStream> response = pending.get();
        stream = response.body();
        if (aborted) {
          closeQuietly(stream);
        }
        reachability.reached();
        if (response.statusCode() != 200) {
          LlmException e =
              OpenAiErrors.forStatus(
                  response.statusCode(),
                  readError(stream),
                  response.headers().firstValue("Retry-After").orElse(null),
                  base.toString());
          if (response.statusCode() == 404) {
            models.forget(); // it listed the model, yet does not have it: list again next time
          }
          throw e;
        }
        lastBytesNanos.set(System.nanoTime());
        scheduleIdleCheck(idleTimeout.toNanos());
        return readStream();
      } catch (ExecutionException e) {
        throw failure(e.getCause(), cancel);
      } catch (CancellationException e) {
        throw failure(e, cancel);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LlmException.Cancelled("interrupted");
      } catch (IOException e) {
        throw failure(e, cancel);
      }
    }

    private void scheduleIdleCheck(long delayNanos) {
      synchronized (this) {
        if (aborted) {
          return;
        }
        idleCheck = timers.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
      }
    }

    private void checkIdle() {
      long silent = System.nanoTime() - lastBytesNanos.get();
      long limit = idleTimeout.toNanos();
      if (silent >= limit) {
        abort("stream stalled: no data for " + idleTimeout.toMillis() + " ms");
      } else {
        scheduleIdleCheck(limit - silent);
      }
    }

    private Generation readStream() throws IOException {
      SseEventParser events =
          new SseEventParser(stream, MAX_EVENT_BYTES, () -> lastBytesNanos.set(System.nanoTime()));
      OpenAiStream answer = new OpenAiStream(MAX_ANSWER_CHARS);
      long firstTokenNanos = -1;
      long lastTokenNanos = -1;
      for (SseEvent event = events.next(); event != null; event = events.next()) {
        int before = answer.length();
        if (answer.accept(event.data())) {
          long now = System.nanoTime();
          OpenAiStream.Summary s = answer.summary();
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

    private LlmException failure(Throwable cause, CancelSignal cancel) {
      if (cause instanceof LlmException e) {
        return e;
      }
      if (aborted) {
        String timeout = timeoutReason;
        return timeout != null
            ? new LlmException.Retryable(Failure.TIMEOUT, timeout, null)
            : new LlmException.Cancelled(String.valueOf(cancel.reason()));
      }
      if (cause instanceof HttpTimeoutException) {
        return new LlmException.Retryable(
            Failure.TIMEOUT, "no answer within " + requestTimeout.toSeconds() + "s", cause);
      }
      if (stream != null) {
        return new LlmException.Retryable(
            Failure.BROKEN_STREAM, "the stream from " + base + " broke: " + describe(cause), cause);
      }
      return unreachable("generating", cause);
    }
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

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      log.trace("closing the stream", e);
    }
  }
}
