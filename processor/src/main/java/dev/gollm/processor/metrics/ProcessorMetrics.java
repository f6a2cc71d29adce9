package dev.gollm.processor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The processor's own meters: the original processor's counters plus timers and gauges for the pool
 * and the leases. One instance per process, registered on the registry it is given.
 */
public final class ProcessorMetrics {
  private final Clock clock;
  private final MeterRegistry registry;
  private final Counter processed;
  private final Counter completed;
  private final Counter failed;
  private final Counter retried;
  private final Counter requeued;
  private final Counter leasesLost;
  private final Timer taskTime;
  private final Timer generationTime;
  private final Timer timeToFirstToken;
  private final DistributionSummary tokens;
  private final DistributionSummary tokensPerSecond;
  private final AtomicReference<Instant> lastUpdate;
  private final Map<String, Supplier<?>> jsonSections = new ConcurrentSkipListMap<>();

  public ProcessorMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.lastUpdate = new AtomicReference<>(clock.instant());
    processed = counter("processor.tasks.processed", "Tasks that reached an outcome");
    completed = counter("processor.tasks.completed", "Tasks reported completed");
    failed = counter("processor.tasks.failed", "Tasks reported failed");
    retried = counter("processor.tasks.retried", "Generation attempts retried after a failure");
    requeued = counter("processor.tasks.requeued", "Tasks handed back to the manager");
    leasesLost = counter("processor.leases.lost", "Leases the manager took back (404)");
    taskTime =
        Timer.builder("processor.task.duration")
            .description("Whole task time, from claim to report")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    generationTime =
        Timer.builder("processor.generation.duration")
            .description("Time of one successful generation on Ollama")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    timeToFirstToken =
        Timer.builder("processor.generation.ttft")
            .description("Time from request to the first generated token")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    tokens =
        DistributionSummary.builder("processor.generation.tokens")
            .description("Tokens generated per answer (Ollama's eval_count)")
            .register(registry);
    tokensPerSecond =
        DistributionSummary.builder("processor.generation.tokens_per_second")
            .description("Generation speed from Ollama's eval_count and eval_duration")
            .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** The registry the meters live in, for parts that register meters of their own. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Adds a named section to the JSON /metrics answer, read on every request. */
  public void jsonSection(String name, Supplier<?> section) {
    jsonSections.put(name, section);
  }

  /** The sections added by {@link #jsonSection}, each read now. */
  public Map<String, Object> jsonSections() {
    Map<String, Object> out = new LinkedHashMap<>();
    jsonSections.forEach((name, section) -> out.put(name, section.get()));
    return out;
  }

  /** Registers a gauge read on every scrape, e.g. busy workers or held leases. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void taskCompleted(Duration took) {
    finished(completed, took);
  }

  public void taskFailed(Duration took) {
    finished(failed, took);
  }

  private void finished(Counter outcome, Duration took) {
    processed.increment();
    outcome.increment();
    taskTime.record(took);
    touch();
  }

  public void taskRetried() {
    retried.increment();
    touch();
  }

  public void taskRequeued() {
    requeued.increment();
    touch();
  }

  public void leaseLost() {
    leasesLost.increment();
    touch();
  }

  /** Records one successful generation with Ollama's own counts. */
  public void generation(Duration took, Duration firstToken, long evalCount, Duration evalTime) {
    generationTime.record(took);
    if (firstToken != null) {
      timeToFirstToken.record(firstToken);
    }
    if (evalCount > 0) {
      tokens.record(evalCount);
      if (!evalTime.isZero()) {
        tokensPerSecond.record(evalCount * 1e9 / evalTime.toNanos());
      }
    }
  }

  private void touch() {
    lastUpdate.set(clock.instant());
  }

  /** The original processor's /metrics figures. */
  public Snapshot snapshot() {
    long count = taskTime.count();
    double avgMs = count == 0 ? 0 : taskTime.totalTime(TimeUnit.MILLISECONDS) / count;
    return new Snapshot(
        (long) processed.count(),
        (long) completed.count(),
        (long) failed.count(),
        (long) retried.count(),
        (long) requeued.count(),
        avgMs,
        lastUpdate.get());
  }

  /** Figures in the shape of the original processor's JSON metrics. */
  public record Snapshot(
      long tasksProcessed,
      long tasksCompleted,
      long tasksFailed,
      long tasksRetried,
      long tasksRequeued,
      double avgProcessTimeMs,
      Instant lastUpdate) {}
}
