package dev.gollm.processor.llm.route;

import dev.gollm.processor.llm.Generation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Meters per LLM endpoint and model: generations, prompt and completion tokens, time to first
 * token, tokens per second and errors by kind; and per endpoint the slots in use, the capacity and
 * whether it is up. Meters are created on first use, so only pairs that did work appear.
 */
public final class EndpointMetrics {
  static final String GENERATIONS = "processor.llm.generations";
  static final String PROMPT_TOKENS = "processor.llm.prompt_tokens";
  static final String COMPLETION_TOKENS = "processor.llm.completion_tokens";
  static final String ERRORS = "processor.llm.errors";

  private final MeterRegistry registry;

  /** By endpoint, then model: String keys, whose hashes are kept in the strings. */
  private final Map<String, Map<String, PairMeters>> pairs = new ConcurrentHashMap<>();

  public EndpointMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void generation(String endpoint, String model, Generation g) {
    pairs
        .computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
        .computeIfAbsent(model, m -> new PairMeters(endpoint, model))
        .record(g);
  }

  /**
   * One endpoint and model's generation meters, each registered when first needed and kept:
   * building a meter's id and finding it in the registry for every generation cost more than the
   * recording.
   */
  private final class PairMeters {
    private final String endpoint;
    private final String model;
    private Counter generations;
    private Counter promptTokens;
    private Counter completionTokens;
    private DistributionSummary tokensPerSecond;
    private Timer timeToFirstToken;

    PairMeters(String endpoint, String model) {
      this.endpoint = endpoint;
      this.model = model;
    }

    synchronized void record(Generation g) {
      if (generations == null) {
        generations = counter(GENERATIONS, "Generations finished", endpoint, model);
      }
      generations.increment();
      if (g.promptEvalCount() > 0) {
        if (promptTokens == null) {
          promptTokens =
              counter(PROMPT_TOKENS, "Prompt tokens the server reported", endpoint, model);
        }
        promptTokens.increment(g.promptEvalCount());
      }
      if (g.evalCount() > 0) {
        if (completionTokens == null) {
          completionTokens = counter(COMPLETION_TOKENS, "Tokens generated", endpoint, model);
        }
        completionTokens.increment(g.evalCount());
        if (!g.evalDuration().isZero()) {
          if (tokensPerSecond == null) {
            tokensPerSecond =
                DistributionSummary.builder("processor.llm.tokens_per_second")
                    .description("Generation speed: completion tokens over the time they took")
                    .tags("endpoint", endpoint, "model", model)
                    .register(registry);
          }
          tokensPerSecond.record(g.evalCount() * 1e9 / g.evalDuration().toNanos());
        }
      }
      if (g.firstToken() != null) {
        if (timeToFirstToken == null) {
          timeToFirstToken =
              Timer.builder("processor.llm.ttft")
                  .description("Time from sending the request to the first generated text")
                  .tags("endpoint", endpoint, "model", model)
                  .publishPercentiles(0.5, 0.95)
                  .register(registry);
        }
        timeToFirstToken.record(g.firstToken());
      }
    }
  }

  /**
   * A failed attempt; {@code kind} is a retryable failure's label, "rejected" or "model_missing".
   */
  void error(String endpoint, String model, String kind) {
    Counter.builder(ERRORS)
        .description("Failed generation attempts by kind")
        .tags("endpoint", endpoint, "model", model, "kind", kind)
        .register(registry)
        .increment();
  }

  void endpoint(String endpoint, int capacity, Supplier<Number> inUse, Supplier<Number> up) {
    Gauge.builder("processor.llm.endpoint.in_use", inUse)
        .description("Generations running on the endpoint")
        .tag("endpoint", endpoint)
        .register(registry);
    Gauge.builder("processor.llm.endpoint.capacity", () -> capacity)
        .description("Generations the endpoint may run at once")
        .tag("endpoint", endpoint)
        .register(registry);
    Gauge.builder("processor.llm.endpoint.up", up)
        .description("1 while the endpoint's circuit is closed, else 0")
        .tag("endpoint", endpoint)
        .register(registry);
  }

  /** The sum over models of a counter for one endpoint. */
  long total(String name, String endpoint) {
    return Math.round(
        registry.find(name).tag("endpoint", endpoint).counters().stream()
            .mapToDouble(Counter::count)
            .sum());
  }

  private Counter counter(String name, String description, String endpoint, String model) {
    return Counter.builder(name)
        .description(description)
        .tags("endpoint", endpoint, "model", model)
        .register(registry);
  }
}
