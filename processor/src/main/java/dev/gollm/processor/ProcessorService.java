package dev.gollm.processor;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.intake.Claimer;
import dev.gollm.processor.intake.CleanupTrigger;
import dev.gollm.processor.intake.LoadReporter;
import dev.gollm.processor.intake.WorkStealer;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.pool.WorkerPool;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.schedule.Periodic;
import dev.gollm.processor.task.Backoff;
import dev.gollm.processor.task.LeaseHeartbeater;
import dev.gollm.processor.task.RequeueMemory;
import dev.gollm.processor.task.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing pipeline, wired: intake claims into the lease ledger, the worker pool runs each
 * lease through a {@link TaskRunner}, and the heartbeater keeps every lease alive. {@link
 * #shutdown()} stops intake, hands back what has not started, lets running tasks finish within
 * SHUTDOWN_GRACE, then cancels and requeues the rest.
 */
public final class ProcessorService {
  private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);
  private static final String SHUTDOWN_REASON = "processor shutting down";
  private static final Duration OLLAMA_PROBE_INTERVAL = Duration.ofSeconds(15);

  private final ProcessorConfig config;
  private final LlmClient llm;
  private final LeaseLedger ledger;
  private final WorkerPool pool;
  private final TaskRunner runner;
  private final Claimer claimer;
  private final List<Periodic> periodics = new ArrayList<>();
  private final LeaseHeartbeater heartbeater;
  private final LoadReporter loadReporter;
  private final WorkStealer stealer;
  private final CleanupTrigger cleanup;
  private Periodic leaseHeartbeats;

  public ProcessorService(
      ProcessorConfig config,
      ManagerApi manager,
      LlmClient llm,
      ProcessorMetrics metrics,
      RandomGenerator random) {
    this.config = config;
    this.llm = llm;
    this.ledger = new LeaseLedger(config.capacity(), config.queueSize());
    this.runner =
        new TaskRunner(
            manager,
            llm,
            new PromptBuilder(config.modelName()),
            ledger,
            metrics,
            new RequeueMemory(10_000),
            config.maxRetries(),
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random),
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random));
    this.pool = new WorkerPool(config.workerCount(), ledger, runner::run);
    this.claimer =
        new Claimer(
            manager,
            ledger,
            this::admitted,
            config.maxBatchSize(),
            config.pollInterval(),
            config.safetyPollInterval(),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
            random);
    this.heartbeater = new LeaseHeartbeater(manager, ledger, metrics, this::lost);
    this.loadReporter = new LoadReporter(manager, ledger::heldCount);
    this.stealer =
        new WorkStealer(
            manager,
            ledger,
            this::admitted,
            config.workerCount(),
            config.workStealingMaxCount(),
            config.workStealingMinCapacity());
    this.cleanup = new CleanupTrigger(manager);
    metrics.gauge("processor.workers.busy", "Workers generating now", pool::busyWorkers);
    metrics.gauge(
        "processor.tasks.waiting", "Claimed tasks waiting for a worker", ledger::waitingCount);
    metrics.gauge("processor.leases.held", "Tasks held on the manager", ledger::heldCount);
    metrics.gauge("processor.capacity", "WORKER_COUNT plus the prefetch", ledger::capacity);
  }

  /** The claimer, for push wake-ups. */
  public Claimer claimer() {
    return claimer;
  }

  public void start() {
    pool.start();
    leaseHeartbeats = new Periodic("lease-heartbeats", config.heartbeatInterval(), heartbeater);
    leaseHeartbeats.start();
    periodics.add(new Periodic("processor-heartbeat", config.heartbeatInterval(), loadReporter));
    periodics.add(new Periodic("ollama-probe", OLLAMA_PROBE_INTERVAL, this::probeOllama));
    if (config.workStealingEnabled()) {
      periodics.add(new Periodic("work-stealing", config.workStealingInterval(), stealer));
    }
    if (!config.cleanupInterval().isZero()) {
      periodics.add(new Periodic("manager-cleanup", config.cleanupInterval(), cleanup));
    }
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
    log.info(
        "processing: {} workers, up to {} tasks held, batches of up to {}",
        config.workerCount(),
        config.capacity(),
        config.maxBatchSize());
  }

  private void probeOllama() {
    try {
      llm.ping();
    } catch (LlmException e) {
      log.debug("Ollama probe failed: {}", e.getMessage());
    }
  }

  private void checkDefaultModel() {
    try {
      llm.ensureModel(config.modelName(), new CancelSignal());
      log.info("model {} is available", config.modelName());
    } catch (LlmException e) {
      log.warn("model {} is not available yet: {}", config.modelName(), e.getMessage());
    }
  }

  private void admitted(Lease lease) {
    if (!pool.submit(lease)) {
      runner.handBack(lease, SHUTDOWN_REASON);
    }
  }

  private void lost(Lease lease) {
    if (pool.withdraw(lease)) {
      ledger.release(lease);
    }
  }

  /** Stops intake, hands back waiting tasks, drains running ones; returns when nothing is held. */
  public void shutdown() throws InterruptedException {
    log.info("shutting down: no new claims; {} task(s) held", ledger.heldCount());
    claimer.close();
    periodics.forEach(Periodic::close);
    List<Lease> waiting = pool.stopAndDrain();
    if (!waiting.isEmpty()) {
      log.info("handing back {} task(s) that had not started", waiting.size());
      // Not awaited here: with the manager unreachable a hand-back retries until the report
      // deadline below abandons it, and waiting for it here would wait for ever.
      ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
      waiting.forEach(l -> calls.submit(() -> runner.handBack(l, SHUTDOWN_REASON)));
      calls.shutdown();
    }
    if (!ledger.awaitNoneRunning(config.shutdownGrace())) {
      log.warn(
          "{} task(s) still running after the {} grace period; cancelling and requeueing them",
          ledger.runningCount(),
          config.shutdownGrace());
      ledger.held().forEach(l -> l.cancel().cancel("shutdown grace period over"));
    }
    Duration reportTime = Duration.ofSeconds(10);
    if (!ledger.awaitEmpty(reportTime)) {
      runner.abandonReports();
      ledger.awaitEmpty(Duration.ofSeconds(5));
    }
    pool.awaitWorkers(Duration.ofSeconds(5));
    if (leaseHeartbeats != null) {
      leaseHeartbeats.close();
    }
    int left = ledger.heldCount();
    if (left == 0) {
      log.info("shutdown complete: nothing held");
    } else {
      log.error("shutdown: {} task(s) could not be handed back; the manager's cleanup will", left);
    }
  }
}
