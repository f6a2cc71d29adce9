package dev.gollm.processor.task;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.TaskReport;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.prompt.InvalidTaskException;
import dev.gollm.processor.prompt.PromptBuilder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased task to its end: build the prompt, generate (retrying what can be retried),
 * confirm the lease, report; or hand the task back. Whatever happens, the lease is released.
 *
 * <p>Outcomes: success → complete(completed). A permanent failure (bad parameters, a model that
 * cannot be had, empty product data) → complete(failed) at once. Retryable failures are retried up
 * to MAX_RETRIES times with backoff, then the task is requeued; if this processor requeued it
 * before, it is failed instead, since the manager would let it circulate forever. A lost lease
 * reports nothing; a shutdown requeues.
 */
public final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final String SHUTDOWN_REASON = "processor shutting down";

  private final ManagerApi manager;
  private final LlmClient llm;
  private final PromptBuilder prompts;
  private final LeaseLedger ledger;
  private final ProcessorMetrics metrics;
  private final RequeueMemory requeued;
  private final int maxRetries;
  private final Backoff generationBackoff;
  private final Backoff reportBackoff;
  private final CancelSignal abandonReports = new CancelSignal();

  public TaskRunner(
      ManagerApi manager,
      LlmClient llm,
      PromptBuilder prompts,
      LeaseLedger ledger,
      ProcessorMetrics metrics,
      RequeueMemory requeued,
      int maxRetries,
      Backoff generationBackoff,
      Backoff reportBackoff) {
    this.manager = manager;
    this.llm = llm;
    this.prompts = prompts;
    this.ledger = ledger;
    this.metrics = metrics;
    this.requeued = requeued;
    this.maxRetries = maxRetries;
    this.generationBackoff = generationBackoff;
    this.reportBackoff = reportBackoff;
  }

  /** Ends every report still retrying (at the end of shutdown); new failures are not retried. */
  public void abandonReports() {
    abandonReports.cancel("shutdown deadline");
  }

  /**
   * Runs the lease's task on the calling worker; the report to the manager then goes on in the
   * background, so the worker starts its next task at once. The lease is released once settled.
   */
  public void run(Lease lease) {
    Runnable settle;
    try {
      settle = execute(lease);
    } catch (RuntimeException e) {
      ledger.release(lease);
      throw e;
    }
    ledger.settling(lease);
    Thread.ofVirtual()
        .name("settle-" + lease.taskId())
        .start(
            () -> {
              try {
                settle.run();
              } finally {
                ledger.release(lease);
              }
            });
  }

  /** Hands a task that never started back to the manager and releases its lease. */
  public void handBack(Lease lease, String reason) {
    try {
      requeue(lease, reason);
    } finally {
      ledger.release(lease);
    }
  }

  /** Generates the task's answer; returns how to settle it with the manager. */
  private Runnable execute(Lease lease) {
    String id = lease.taskId();
    ChatRequest request;
    try {
      request = prompts.build(lease.task().productData(), lease.task().ollamaParams());
    } catch (InvalidTaskException e) {
      log.warn("task {} is invalid: {}", id, e.getMessage());
      return () -> fail(lease, e.getMessage());
    }
    try {
      Generation g = generate(lease, request);
      log.info(
          "task {} generated: {} tokens in {} ms ({})",
          id,
          g.evalCount(),
          g.elapsed().toMillis(),
          g.doneReason());
      metrics.generation(g.elapsed(), g.firstToken(), g.evalCount(), g.evalDuration());
      requeued.forget(id);
      return () ->
          report(
              lease, new TaskReport.Completed(g.text()), () -> metrics.taskCompleted(took(lease)));
    } catch (LlmException.Permanent e) {
      log.warn("task {} failed permanently: {}", id, e.getMessage());
      return () -> fail(lease, e.getMessage());
    } catch (RetriesExhausted e) {
      String reason = "gave up after " + (maxRetries + 1) + " attempts: " + e.getMessage();
      if (requeued.wasRequeued(id)) {
        log.warn("task {} failed again after a requeue; failing it: {}", id, reason);
        requeued.forget(id);
        return () -> fail(lease, reason);
      }
      log.warn("task {}: {}; requeueing it", id, reason);
      requeued.remember(id, reason);
      return () -> requeue(lease, reason);
    } catch (LlmException.Cancelled e) {
      if (lease.isLost()) {
        log.info("task {} dropped: its lease was lost ({})", id, lease.cancel().reason());
        return () -> {};
      }
      log.info("task {} interrupted by shutdown; requeueing it", id);
      return () -> requeue(lease, SHUTDOWN_REASON);
    }
  }

  private void fail(Lease lease, String reason) {
    report(lease, new TaskReport.Failed(reason), () -> metrics.taskFailed(took(lease)));
  }

  private static Duration took(Lease lease) {
    return Duration.ofNanos(System.nanoTime() - lease.claimedNanos());
  }

  /** Generates with retries; throws Permanent, Cancelled or RetriesExhausted. */
  private Generation generate(Lease lease, ChatRequest request) {
    CancelSignal cancel = lease.cancel();
    boolean pulledAfterMissing = false;
    int failures = 0;
    while (true) {
      if (cancel.isCancelled()) {
        throw new LlmException.Cancelled(cancel.reason());
      }
      try {
        llm.ensureModel(request.model(), cancel);
        return llm.chat(request, cancel);
      } catch (LlmException.ModelMissing e) {
        if (pulledAfterMissing) {
          throw new LlmException.Permanent(
              "model " + request.model() + " is missing even after a pull: " + e.getMessage(), e);
        }
        pulledAfterMissing = true; // the catalog forgot the model; ensureModel pulls it
      } catch (LlmException.Retryable e) {
        failures++;
        if (failures > maxRetries) {
          throw new RetriesExhausted(e.getMessage());
        }
        metrics.taskRetried();
        Duration delay = generationBackoff.delay(failures);
        log.info(
            "task {} attempt {} failed: {}; retrying in {} ms",
            lease.taskId(),
            failures,
            e.getMessage(),
            delay.toMillis());
        if (await(cancel, delay)) {
          throw new LlmException.Cancelled(cancel.reason());
        }
      }
    }
  }

  /**
   * Confirms the lease with a heartbeat, then completes; retried with backoff until it lands, the
   * lease is lost, or the shutdown deadline passes. The manager's complete checks no owner, so the
   * heartbeat is what keeps a stale result from overwriting the new owner's.
   */
  private void report(Lease lease, TaskReport report, Runnable counted) {
    retryManagerCall(
        lease,
        "report",
        () -> {
          manager.heartbeat(lease.taskId());
          manager.complete(lease.taskId(), report);
          counted.run();
        });
  }

  private void requeue(Lease lease, String reason) {
    retryManagerCall(
        lease,
        "requeue",
        () -> {
          manager.requeue(lease.taskId(), reason);
          metrics.taskRequeued();
        });
  }

  private void retryManagerCall(Lease lease, String what, Runnable call) {
    String id = lease.taskId();
    lease.settling();
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        return;
      } catch (ManagerException.LeaseLost e) {
        log.info("task {}: lease lost before the {}; reporting nothing", id, what);
        metrics.leaseLost();
        return;
      } catch (ManagerException.Rejected e) {
        log.error("task {}: the manager refused the {}: {}", id, what, e.getMessage());
        return;
      } catch (ManagerException.Unavailable | ManagerException.Unauthorized e) {
        if (abandonReports.isCancelled()) {
          log.error(
              "task {}: {} abandoned at shutdown ({}); the manager's cleanup will return the"
                  + " task to pending",
              id,
              what,
              e.getMessage());
          return;
        }
        Duration delay = reportBackoff.delay(attempt);
        log.warn(
            "task {}: {} failed ({}); retrying in {} ms",
            id,
            what,
            e.getMessage(),
            delay.toMillis());
        // A shutdown cancels the lease but still wants the report: then wait for the deadline.
        CancelSignal interruptedBy = lease.cancel().isCancelled() ? abandonReports : lease.cancel();
        if (await(interruptedBy, delay)) {
          if (Thread.currentThread().isInterrupted()) {
            // Without this, an interrupted thread would retry at once, for ever: every wait
            // and every call fails at once while the interrupt flag is set.
            log.error(
                "task {}: {} abandoned: interrupted; the manager's cleanup will return the task"
                    + " to pending",
                id,
                what);
            return;
          }
          if (lease.isLost()) {
            log.info("task {}: lease lost while retrying the {}; reporting nothing", id, what);
            return;
          }
        }
      }
    }
  }

  /** Waits for {@code delay} or until {@code cancel} fires; true when cancelled. */
  private static boolean await(CancelSignal cancel, Duration delay) {
    CountDownLatch cancelled = new CountDownLatch(1);
    CancelSignal.Registration registration = cancel.onCancel(cancelled::countDown);
    try {
      return cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      registration.close();
    }
  }

  /** Every attempt of a generation failed in a retryable way. */
  private static final class RetriesExhausted extends RuntimeException {
    RetriesExhausted(String lastError) {
      super(lastError);
    }
  }
}
