package dev.gollm.processor.metrics;

import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.llm.LlmException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The processor's own meters: the original processor's counters plus timers and gauges for the pool
 * and the leases, and the calls to the manager by outcome. One instance per process, registered on
 * the registry it is given. Labelled counters are registered with every label value at once, so
 * each series is scraped (as 0) before its first event and alerts can tell "none" from "unknown".
 */
public final class ProcessorMetrics {
  /** Which call handed out tasks. */
  public enum ClaimSource {
    CLAIM,
    STEAL;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a claim or steal call came back. */
  public enum ClaimOutcome {
    /** As many tasks as asked for: more are probably waiting. */
    FULL,
    /** Some tasks, fewer than asked for. */
    PARTIAL,
    /** No task. */
    EMPTY,
    /** No answer: the manager was unreachable, failed or refused the call. */
    ERROR;

    /** The outcome of a call that asked for {@code asked} tasks and received {@code received}. */
    public static ClaimOutcome of(int asked, int received) {
      if (received == 0) {
        return EMPTY;
      }
      return received >= asked ? FULL : PARTIAL;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How one lease heartbeat came back. */
  public enum HeartbeatOutcome {
    OK,
    /** 404: the manager took the task back. */
    LOST,
    /** No answer, or one that says nothing about the lease (5xx, 401). */
    ERROR;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Clock clock;
  private final MeterRegistry registry;
  private final Counter processed;
  private final Counter completed;
  private final Counter failed;
  private final Counter retried;
  private final Counter requeued;
  private final Counter leasesLost;
  private final Map<LlmException.Failure, Counter> retriesByKind;
  private final Map<Outcome.Kind, Counter> failuresByKind;
  private final Map<ClaimSource, Map<ClaimOutcome, Counter>> claims;
  private final Map<ClaimSource, Counter> admitted;
  private final Map<HeartbeatOutcome, Counter> heartbeats;
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
    retriesByKind =
        byLabel(
            LlmException.Failure.class,
            kind ->
                counter(
                    "processor.task.retries",
                    "Generation attempts retried, by the kind of failure",
                    "kind",
                    kind.label()));
    failuresByKind =
        byLabel(
            Outcome.Kind.class,
            kind ->
                counter(
                    "processor.task.failures",
                    "Tasks reported failed, by the kind of failure",
                    "kind",
                    kind.label()));
    claims =
        byLabel(
            ClaimSource.class,
            source ->
                byLabel(
                    ClaimOutcome.class,
                    outcome ->
                        Counter.builder("processor.claims")
                            .description("Claim and work-steal calls to the manager, by outcome")
                            .tag("source", source.label())
                            .tag("outcome", outcome.label())
                            .register(registry)));
    admitted =
        byLabel(
            ClaimSource.class,
            source ->
                counter(
                    "processor.tasks.admitted",
                    "Tasks from the manager queued for a worker, by the call that brought them",
                    "source",
                    source.label()));
    heartbeats =
        byLabel(
            HeartbeatOutcome.class,
            outcome ->
                counter(
                    "processor.lease.heartbeats",
                    "Heartbeats for held tasks, by outcome",
                    "outcome",
                    outcome.label()));
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

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  private static <K extends Enum<K>, V> Map<K, V> byLabel(Class<K> keys, Function<K, V> meter) {
    Map<K, V> meters = new EnumMap<>(keys);
    for (K key : keys.getEnumConstants()) {
      meters.put(key, meter.apply(key));
    }
    return meters;
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

  /**
   * Registers a 1/0 gauge read on every scrape: whether the dependency answered lately.
   *
   * @param dependency the {@code dependency} label, such as {@code manager}
   */
  public void dependencyUp(String dependency, BooleanSupplier up) {
    Gauge.builder("processor.dependency.up", () -> up.getAsBoolean() ? 1 : 0)
        .description("1 while the dependency answers, 0 while it does not (as /ready judges it)")
        .tag("dependency", dependency)
        .register(registry);
  }

  public void taskCompleted(Duration took) {
    finished(completed, took);
  }

  public void taskFailed(Outcome.Kind kind, Duration took) {
    failuresByKind.get(kind).increment();
    finished(failed, took);
  }

  private void finished(Counter outcome, Duration took) {
    processed.increment();
    outcome.increment();
    taskTime.record(took);
    touch();
  }

  public void taskRetried(LlmException.Failure kind) {
    retried.increment();
    retriesByKind.get(kind).increment();
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

  /** Counts one claim or work-steal call that was made (asked for at least one task). */
  public void claimed(ClaimSource source, ClaimOutcome outcome) {
    claims.get(source).get(outcome).increment();
  }

  /** Counts one task from the manager queued for a worker. */
  public void taskAdmitted(ClaimSource source) {
    admitted.get(source).increment();
  }

  public void leaseHeartbeat(HeartbeatOutcome outcome) {
    heartbeats.get(outcome).increment();
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
