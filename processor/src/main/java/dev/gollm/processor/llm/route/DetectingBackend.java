package dev.gollm.processor.llm.route;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.ProcessorConfig.LlmApi;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM_API=auto for one endpoint: on first use, asks {@code /api/version} (Ollama answers it) and
 * then {@code /v1/models} (OpenAI-compatible servers do), and from then on speaks the API found. An
 * endpoint that cannot be reached is probed again on the next use.
 */
final class DetectingBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(DetectingBackend.class);

  private final URI url;
  private final HttpTransport http;
  private final Duration timeout;
  private final String apiKey;
  private final Function<LlmApi, Backend> build;
  private volatile Backend detected;

  /**
   * @param build makes the backend of the API found (OLLAMA or OPENAI)
   */
  DetectingBackend(
      URI url,
      HttpTransport http,
      Duration timeout,
      String apiKey,
      Function<LlmApi, Backend> build) {
    this.url = url;
    this.http = http;
    this.timeout = timeout;
    this.apiKey = apiKey;
    this.build = build;
  }

  @Override
  public String api() {
    Backend b = detected;
    return b == null ? "auto (not probed yet)" : b.api();
  }

  @Override
  public boolean mayServe(String model) {
    Backend b = detected;
    return b == null || b.mayServe(model);
  }

  @Override
  public void ping() {
    backend().ping();
  }

  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    backend().ensureModel(model, cancel);
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    return backend().chat(request, cancel);
  }

  private synchronized Backend backend() {
    if (detected == null) {
      LlmApi api = probe();
      log.info("LLM endpoint {} speaks the {} API", url, api.name().toLowerCase(Locale.ROOT));
      detected = build.apply(api);
    }
    return detected;
  }

  private LlmApi probe() {
    if (answers200("/api/version", false)) {
      return LlmApi.OLLAMA;
    }
    if (answers200("/v1/models", true)) {
      return LlmApi.OPENAI;
    }
    throw new LlmException.Retryable(
        Failure.OTHER,
        url
            + " answers neither Ollama's /api/version nor an OpenAI-compatible /v1/models;"
            + " check the URL, LLM_API and LLM_API_KEY",
        null);
  }

  private boolean answers200(String path, boolean withKey) {
    HttpCall request = HttpCall.get(URI.create(url + path), timeout);
    if (withKey && apiKey != null && !apiKey.isEmpty()) {
      request = request.withHeader("Authorization", "Bearer " + apiKey);
    }
    try {
      return http.exchange(request, 1 << 16).status() == 200;
    } catch (HttpFailure.Aborted e) {
      throw new LlmException.Cancelled("interrupted while probing " + url);
    } catch (HttpFailure e) {
      throw new LlmException.Retryable(
          Failure.UNREACHABLE, url + " unreachable while probing its API: " + e.getMessage(), e);
    }
  }
}
