package dev.gollm.processor;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.health.HealthServer;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running processor: every long-lived part is created and wired here, started by {@link
 * #start()} and stopped in reverse order by {@link #close()}. The command line owns signals and
 * exit codes; tests use this class directly.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final ProcessorConfig config;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final ProcessorMetrics metrics;
  private final Reachability reachability;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private HealthServer healthServer;
  private Processor processor;

  public App(ProcessorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    this.metrics = new ProcessorMetrics(registry, clock);
    this.reachability = new Reachability(clock, readinessWindow(config));
  }

  /**
   * How long a dependency counts as reachable after its last answer: three missed heartbeats or
   * polls, whichever interval is longer, so a single slow round does not flap /ready.
   */
  static Duration readinessWindow(ProcessorConfig config) {
    Duration longest =
        config.heartbeatInterval().compareTo(config.pollInterval()) >= 0
            ? config.heartbeatInterval()
            : config.pollInterval();
    return longest.multipliedBy(3);
  }

  /** Starts serving; the health server comes first so probes answer while the rest starts. */
  public void start() throws IOException {
    log.info(
        "processor {} starting: processor_id={} manager={} ollama={} model={} workers={}",
        Version.current(),
        config.processorId(),
        config.workerUrl(),
        config.ollamaUrl(),
        config.modelName(),
        config.workerCount());
    defaultKeyWarning(config).ifPresent(log::warn);
    healthServer =
        HealthServer.start(
            config.healthAddr(),
            new HealthServer.Identity(Version.current(), config.processorId()),
            reachability,
            () -> stopping.get() ? List.of("shutting down") : List.of(),
            metrics,
            registry,
            clock);
    processor = new Processor(config, metrics, reachability).start();
  }

  /**
   * A warning when INTERNAL_API_KEY is still the well-known development default while WORKER_URL
   * points at another machine: the key then travels the network and opens the manager's internal
   * API to anyone who knows the default. Empty otherwise.
   */
  static Optional<String> defaultKeyWarning(ProcessorConfig config) {
    if (!config.internalApiKey().value().equals(ProcessorConfig.DEFAULT_INTERNAL_API_KEY)
        || isLoopback(config.workerUrl().getHost())) {
      return Optional.empty();
    }
    return Optional.of(
        "INTERNAL_API_KEY is the default development key, but WORKER_URL ("
            + config.workerUrl().getHost()
            + ") is not this machine: set the manager and the processor to a key of your own");
  }

  /**
   * Whether a URL's host names this machine (no DNS lookup: names other than localhost count as
   * remote).
   */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}")) {
      return true;
    }
    if (h.contains(":")) {
      try {
        return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: never a lookup
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /** The health server's bound port; valid after {@link #start()}. */
  public int healthPort() {
    if (healthServer == null) {
      throw new IllegalStateException("the processor has not been started");
    }
    return healthServer.port();
  }

  public ProcessorConfig config() {
    return config;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public ProcessorMetrics metrics() {
    return metrics;
  }

  public Reachability reachability() {
    return reachability;
  }

  /**
   * Orderly stop: /ready turns 503 at once, the pipeline drains (bounded by SHUTDOWN_GRACE), then
   * the health server stops.
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    log.info("processor stopping");
    if (processor != null) {
      processor.close();
    }
    if (healthServer != null) {
      healthServer.close();
    }
    gcMetrics.close();
    registry.close();
    log.info("processor stopped");
  }
}
