package dev.gollm.processor.llm.route;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorConfig.LlmApi;
import dev.gollm.processor.config.ProcessorConfig.LlmEndpoint;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.ollama.OllamaClient;
import dev.gollm.processor.llm.openai.OpenAiClient;
import dev.gollm.processor.metrics.ProcessorMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the processor's {@link LlmClient} from the configuration: one client per endpoint of
 * LLM_ENDPOINTS (or OLLAMA_URL) in the API LLM_API names, behind an {@link EndpointRouter}; its
 * meters on the registry, its endpoints in /ready and the JSON /metrics.
 */
public final class LlmBackends {
  private static final Logger log = LoggerFactory.getLogger(LlmBackends.class);

  /** Each client's own record of its server; the router judges endpoints by its circuits. */
  private static final Duration ENDPOINT_WINDOW = Duration.ofMinutes(1);

  /** Bounds each call of LLM_API=auto's probe (two small GETs). */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private LlmBackends() {}

  public static LlmClient create(
      ProcessorConfig config,
      HttpClient http,
      ScheduledExecutorService timers,
      Reachability reachability,
      ProcessorMetrics metrics,
      Clock clock) {
    List<LlmEndpoint> endpoints = config.endpoints();
    List<EndpointRouter.Route> routes =
        endpoints.stream()
            .map(
                e ->
                    new EndpointRouter.Route(
                        e.url().toString(),
                        e.capacity(),
                        backend(config, config.llmApi(), e.url(), http, timers, clock)))
            .toList();
    EndpointRouter router =
        new EndpointRouter(routes, clock, new EndpointMetrics(metrics.registry()), reachability);
    reachability.detail("llm_endpoints", router::describe);
    metrics.jsonSection("llm_endpoints", router::describeWithTotals);
    int total = endpoints.stream().mapToInt(LlmEndpoint::capacity).sum();
    log.info(
        "LLM endpoints ({} API): {}; {} generation slots for {} workers",
        config.llmApi().name().toLowerCase(Locale.ROOT),
        endpoints,
        total,
        config.workerCount());
    if (total < config.workerCount()) {
      log.warn(
          "the endpoints' capacities add up to {}, fewer than WORKER_COUNT ({}): workers will wait"
              + " for a free endpoint",
          total,
          config.workerCount());
    }
    return router;
  }

  private static Backend backend(
      ProcessorConfig config,
      LlmApi api,
      URI url,
      HttpClient http,
      ScheduledExecutorService timers,
      Clock clock) {
    Reachability own = new Reachability(clock, ENDPOINT_WINDOW);
    return switch (api) {
      case OLLAMA -> {
        OllamaClient client =
            new OllamaClient(
                http,
                url,
                config.requestTimeout(),
                config.streamIdleTimeout(),
                config.pullTimeout(),
                timers,
                own);
        yield new ClientBackend(client, () -> "ollama", model -> true);
      }
      case OPENAI -> {
        OpenAiClient client =
            new OpenAiClient(
                http,
                url,
                config.llmApiKey().value(),
                config.requestTimeout(),
                config.streamIdleTimeout(),
                timers,
                own,
                clock);
        yield new ClientBackend(
            client, () -> "openai (" + client.family().label() + ")", client::mayServe);
      }
      case AUTO ->
          new DetectingBackend(
              url,
              http,
              PROBE_TIMEOUT,
              config.llmApiKey().value(),
              found -> backend(config, found, url, http, timers, clock));
    };
  }
}
