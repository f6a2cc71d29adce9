package dev.gollm.processor.llm.route;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorConfig.LlmApi;
import dev.gollm.processor.config.ProcessorConfig.LlmEndpoint;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.llm.ollama.OllamaClient;
import dev.gollm.processor.llm.ollama.OllamaSettings;
import dev.gollm.processor.llm.openai.OpenAiClient;
import dev.gollm.processor.metrics.ProcessorMetrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the processor's {@link LlmClient} from the configuration: one client per endpoint of
 * LLM_ENDPOINTS (or OLLAMA_URL) in the API LLM_API names, behind an {@link EndpointRouter}; its
 * meters on the registry, its endpoints in /ready and the JSON /metrics.
 */
public final class LlmBackends {
  private static final Logger log = LoggerFactory.getLogger(LlmBackends.class);

  /** Bounds each call of LLM_API=auto's probe (two small GETs). */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private LlmBackends() {}

  /**
   * @param tasksAhead how many tasks wait for a worker (see {@link EndpointRouter})
   */
  public static EndpointRouter create(
      ProcessorConfig config,
      HttpTransport http,
      ScheduledExecutorService timers,
      LlmReachability reachability,
      ProcessorMetrics metrics,
      Clock clock,
      IntSupplier tasksAhead) {
    List<LlmEndpoint> endpoints = config.endpoints();
    List<EndpointRouter.Route> routes =
        endpoints.stream()
            .map(
                e ->
                    new EndpointRouter.Route(
                        e.url().toString(),
                        e.capacity(),
                        backend(
                            config, config.llmApi(), e.url(), http, timers, reachability, clock)))
            .toList();
    EndpointRouter router =
        new EndpointRouter(
            routes, clock, new EndpointMetrics(metrics.registry()), reachability, tasksAhead);
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
      HttpTransport http,
      ScheduledExecutorService timers,
      LlmReachability reachability,
      Clock clock) {
    LlmReachability own = modelStates(reachability);
    return switch (api) {
      case OLLAMA -> {
        OllamaClient client = new OllamaClient(http, url, OllamaSettings.from(config), timers, own);
        yield new ClientBackend(client, () -> "ollama", model -> true);
      }
      case OPENAI -> {
        OpenAiClient client =
            new OpenAiClient(
                http,
                url,
                config.llmApiKey().value(),
                config.requestTimeout(),
                config.llmStream(),
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
              found -> backend(config, found, url, http, timers, reachability, clock));
    };
  }

  /**
   * What one endpoint's client reports: whether it answered is the router's to judge across all
   * endpoints, so only the model's state (loading, pulling) goes on to the processor's readiness.
   */
  private static LlmReachability modelStates(LlmReachability processor) {
    return new LlmReachability() {
      @Override
      public void reached() {}

      @Override
      public void unreachable(String reason) {}

      @Override
      public void pending(String reason) {
        processor.pending(reason);
      }

      @Override
      public void clearPending() {
        processor.clearPending();
      }
    };
  }
}
