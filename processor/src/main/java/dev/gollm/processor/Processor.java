package dev.gollm.processor;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorPolicy;
import dev.gollm.processor.config.ProcessorPolicy.BackoffLimits;
import dev.gollm.processor.health.HealthServer;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.intake.Admission;
import dev.gollm.processor.intake.Claimer;
import dev.gollm.processor.intake.CleanupTrigger;
import dev.gollm.processor.intake.LoadReporter;
import dev.gollm.processor.intake.ManagerBacklog;
import dev.gollm.processor.intake.WorkStealer;
import dev.gollm.processor.intake.sse.ManagerStreamEvent;
import dev.gollm.processor.intake.sse.SseSettings;
import dev.gollm.processor.intake.sse.SseSupervisor;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.route.EndpointRouter;
import dev.gollm.processor.llm.route.LlmBackends;
import dev.gollm.processor.manager.ManagerClient;
import dev.gollm.processor.metrics.JvmMeters;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.pool.WorkerPool;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.schedule.Durations;
import dev.gollm.processor.schedule.Periodic;
import dev.gollm.processor.schedule.SystemScheduler;
import dev.gollm.processor.stop.GracefulStop;
import dev.gollm.processor.task.Backoff;
import dev.gollm.processor.task.LeaseHeartbeater;
import dev.gollm.processor.task.OutcomeReporter;
import dev.gollm.processor.task.RequeueMemory;
import dev.gollm.processor.task.TaskRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running processor, wired: every long-lived part is created here from the configuration and
 * the policy, started by {@link #start()} (the health server first, so probes answer while the rest
 * starts) and stopped in order by {@link #close()}. The command line owns signals and exit codes;
 * tests use this class directly.
 *
 * <p>The pipeline: intake ({@link Claimer}, {@link WorkStealer}) admits tasks into the {@link
 * LeaseLedger}; the {@link WorkerPool} runs each lease through the {@link TaskRunner}; the {@link
 * OutcomeReporter} settles the outcome with the manager; the {@link LeaseHeartbeater} keeps every
 * lease alive; {@link GracefulStop} drains it all on close.
 */
public final class Processor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final ProcessorConfig config;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final JvmMeters jvmMeters;
  private final ProcessorMetrics metrics;
  private final Reachability reachability;
  private final Duration llmAnswerFresh;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final SystemScheduler scheduler = new SystemScheduler();
  private final HttpTransport managerHttp;
  private final HttpTransport ollamaHttp;
  private final LlmClient llm;
  private final LeaseLedger ledger;
  private final WorkerPool pool;
  private final Claimer claimer;
  private final WorkStealer stealer;
  private final LoadReporter loadReporter;
  private final List<Periodic> periodics = new ArrayList<>();
  private final Periodic leaseHeartbeats;
  private final SseSupervisor push;
  private final GracefulStop gracefulStop;
  private HealthServer healthServer;
  private boolean closed;

  public Processor(ProcessorConfig config, Clock clock) {
    this(config, ProcessorPolicy.from(config), clock);
  }

  public Processor(ProcessorConfig config, ProcessorPolicy policy, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.jvmMeters = new JvmMeters(registry);
    this.metrics = new ProcessorMetrics(registry, clock);
    this.reachability = new Reachability(clock, readinessWindow(config));
    this.llmAnswerFresh = policy.ollamaProbeInterval();
    RandomGenerator random = new SplittableRandom();

    managerHttp = transport(config.managerTimeout(), List.of(config.workerUrl()), config, () -> {});
    ollamaHttp =
        transport(
            policy.ollamaConnectTimeout(),
            config.endpoints().stream().map(ProcessorConfig.LlmEndpoint::url).toList(),
            config,
            this::llmRequestSent);
    ManagerClient manager =
        new ManagerClient(
            managerHttp,
            config.workerUrl(),
            config.internalApiKey().value(),
            config.processorId(),
            config.managerTimeout(),
            reachability.manager());
    ledger = new LeaseLedger(config.capacity(), config.queueSize(), scheduler);
    ManagerBacklog managerBacklog = new ManagerBacklog();
    EndpointRouter router =
        LlmBackends.create(
            config,
            ollamaHttp,
            scheduler.executor(),
            reachability.ollama(),
            metrics,
            clock,
            () -> managerBacklog.likely() ? Integer.MAX_VALUE : ledger.waitingCount());
    reachability.detail("llm_endpoints", router::describe);
    llm = router;

    OutcomeReporter reporter =
        new OutcomeReporter(
            manager,
            ledger,
            metrics,
            backoff(policy.reportBackoff(), random),
            scheduler,
            policy.ownershipWindow());
    TaskRunner runner =
        new TaskRunner(
            llm,
            new PromptBuilder(config.modelName()),
            metrics,
            new RequeueMemory(policy.requeueMemorySize()),
            config.maxRetries(),
            backoff(policy.generationBackoff(), random),
            scheduler);
    pool =
        new WorkerPool(config.workerCount(), ledger, runner::run, reporter::settleLater, scheduler);
    leaseHeartbeats =
        new Periodic(
            "lease-heartbeats",
            scheduler,
            config.heartbeatInterval(),
            new LeaseHeartbeater(manager, ledger, metrics, pool::withdraw, scheduler),
            () -> ledger.heldCount() > 0,
            policy.loopStopWait());
    Admission admission =
        new Admission(
            manager,
            ledger,
            metrics,
            lease -> {
              // The heartbeats sleep while nothing is held; the first lease wakes them.
              leaseHeartbeats.start();
              if (!pool.submit(lease)) {
                reporter.handBackLater(lease, TaskRunner.SHUTDOWN_REASON);
              }
            },
            policy.stealConfirmDelay(),
            scheduler);
    claimer =
        new Claimer(
            ledger,
            admission,
            config.maxBatchSize(),
            Math.max(1, Math.min(config.maxBatchSize(), config.prefetch() / 2)),
            config.pollInterval(),
            config.safetyPollInterval(),
            backoff(policy.claimErrorBackoff(), random),
            random,
            scheduler,
            managerBacklog,
            policy.loopStopWait());
    loadReporter = new LoadReporter(manager, ledger::heldCount);
    periodics.add(
        periodic("processor-heartbeat", config.heartbeatInterval(), loadReporter, policy));
    stealer =
        config.workStealingEnabled()
            ? new WorkStealer(
                ledger,
                admission,
                config.workerCount(),
                config.workStealingMaxCount(),
                config.workStealingMinCapacity(),
                config.workStealingInterval(),
                claimer::wake,
                random,
                scheduler,
                policy.loopStopWait())
            : null;
    if (!config.cleanupInterval().isZero()) {
      periodics.add(
          periodic(
              "manager-cleanup",
              config.cleanupInterval(),
              new CleanupTrigger(manager, claimer::wake),
              policy));
    }
    if (config.sseEnabled()) {
      SseSettings sse = SseSettings.from(config);
      // The stream shares the manager's transport (same host, same connect timeout).
      push =
          new SseSupervisor(
              sse, new PushListener(claimer), managerHttp, scheduler.executor(), random, clock);
    } else {
      push = null;
    }
    List<AutoCloseable> intake = new ArrayList<>();
    intake.add(claimer);
    if (stealer != null) {
      intake.add(stealer);
    }
    intake.addAll(periodics);
    gracefulStop =
        new GracefulStop(
            intake,
            pool,
            ledger,
            reporter,
            leaseHeartbeats,
            new GracefulStop.Waits(
                policy.shutdownGrace(),
                policy.reportDeadline(),
                policy.abandonWait(),
                policy.workerStopWait()));
    metrics.gauge("processor.workers.busy", "Workers generating now", pool::busyWorkers);
    metrics.gauge(
        "processor.tasks.waiting", "Claimed tasks waiting for a worker", ledger::waitingCount);
    metrics.gauge("processor.leases.held", "Tasks held on the manager", ledger::heldCount);
    metrics.gauge("processor.capacity", "WORKER_COUNT plus the prefetch", ledger::capacity);
    metrics.gauge(
        "processor.reports.pending",
        "Finished tasks whose outcome is being reported to the manager",
        ledger::reportingCount);
    for (Reachability.Dependency d : Reachability.Dependency.values()) {
      metrics.dependencyUp(d.label(), () -> reachability.isReachable(d));
    }
  }

  private Periodic periodic(String name, Duration every, Runnable job, ProcessorPolicy policy) {
    return new Periodic(name, scheduler, every, job, policy.loopStopWait());
  }

  /** A worker's held report goes once its next generation request is out ({@link WorkerPool}). */
  private void llmRequestSent() {
    pool.requestSent();
  }

  private static Backoff backoff(BackoffLimits limits, RandomGenerator random) {
    return new Backoff(limits.base(), limits.cap(), random);
  }

  /**
   * The transport for a group of targets. Room for a connection per held task (its heartbeats, its
   * generation) and then some: connections are opened only when used.
   */
  private static HttpTransport transport(
      Duration connectTimeout, List<URI> targets, ProcessorConfig config, Runnable written) {
    return HttpTransport.create(
        HttpTransport.Settings.forTargets(
            targets,
            connectTimeout,
            "go-llm-processor/" + Version.current(),
            Math.max(64, 2 * config.capacity())),
        written);
  }

  /** Turns the task stream into claimer wake-ups: an event says "claim", never "run this task". */
  private record PushListener(Claimer claimer) implements SseSupervisor.Listener {
    @Override
    public void onEvent(ManagerStreamEvent event) {
      if (event instanceof ManagerStreamEvent.TaskAvailable) {
        claimer.wake();
      }
    }

    @Override
    public void onPushUp() {
      claimer.pushUp();
    }

    @Override
    public void onPushDown() {
      claimer.pushDown();
    }
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
    return Durations.times(longest, 3);
  }

  /** Starts serving; the health server comes first so probes answer while the rest starts. */
  public Processor start() throws IOException {
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
            jvmMeters::bindOnce,
            clock);
    pool.start();
    leaseHeartbeats.start();
    periodics.forEach(Periodic::start);
    // First contacts off the start-up path: an unreachable manager or Ollama must not delay it.
    Thread.ofVirtual().name("model-check").start(this::checkDefaultModel);
    Thread.ofVirtual().name("first-processor-heartbeat").start(loadReporter);
    if (config.sseEnabled() || config.pollingEnabled()) {
      claimer.start();
    } else {
      log.warn(
          "SSE_ENABLED and POLLING_ENABLED are both false: tasks arrive only by work stealing");
    }
    if (stealer != null) {
      stealer.start();
    }
    if (push != null) {
      push.start();
    }
    log.info(
        "processing: {} workers, up to {} tasks held, batches of up to {}",
        config.workerCount(),
        config.capacity(),
        config.maxBatchSize());
    return this;
  }

  private void probeOllama() {
    try {
      llm.ping();
    } catch (LlmException e) {
      log.debug("Ollama probe failed: {}", e.getMessage());
    }
  }

  /**
   * The first contact with the LLM servers: the default model's presence (and load). Only then may
   * /ready ping them on its own: a ping answered before this check had reported a model still
   * loading would make the processor ready for a task that then waits for the load.
   */
  private void checkDefaultModel() {
    try {
      llm.ensureModel(config.modelName(), new CancelSignal());
      log.info("model {} is available", config.modelName());
    } catch (LlmException e) {
      log.warn("model {} is not available yet: {}", config.modelName(), e.getMessage());
    } finally {
      reachability.probeWhenAsked(
          Reachability.Dependency.OLLAMA, llmAnswerFresh, this::probeOllama);
    }
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
   * Orderly stop: /ready turns 503 at once, intake stops, the pipeline drains (bounded by
   * SHUTDOWN_GRACE and the policy's waits: nothing claimed is left behind unless the manager cannot
   * be reached), then the health server and the clients stop.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping.set(true);
    log.info("processor stopping");
    try {
      if (push != null) {
        push.close();
      }
      if (healthServer != null) {
        gracefulStop.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (healthServer != null) {
        healthServer.close();
      }
      scheduler.close();
      managerHttp.close();
      ollamaHttp.close();
      jvmMeters.close();
      registry.close();
      log.info("processor stopped");
    }
  }
}
