package dev.gollm.processor.task;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.TaskReport;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.schedule.RoleThreads;
import dev.gollm.processor.schedule.Scheduler;
import dev.gollm.processor.schedule.Waits;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a lease's outcome with the manager, then releases the lease: completed and failed tasks
 * are completed, handed-back ones requeued, dropped ones get nothing. Failed calls are retried with
 * backoff until they land, the lease turns out lost, or the shutdown deadline abandons them.
 *
 * <p>The manager's complete checks no owner, so a stale result could overwrite the new owner's. A
 * task is completed at once only when a claim or heartbeat found it ours within the ownership
 * window (well below the manager's 60 s steal threshold); otherwise a heartbeat confirms it first.
 * Short tasks and tasks whose lease heartbeats go through thus take one manager call to report, not
 * two.
 */
public final class OutcomeReporter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final ProcessorMetrics metrics;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final Duration ownershipWindow;
  private final CancelSignal abandon = new CancelSignal();
  private final ExecutorService reporters = RoleThreads.onDemand("reporter");

  /**
   * @param ownershipWindow how recently a claim or heartbeat must have found a task ours for it to
   *     be completed without a confirming heartbeat
   */
  public OutcomeReporter(
      ManagerApi manager,
      LeaseLedger ledger,
      ProcessorMetrics metrics,
      Backoff backoff,
      Scheduler scheduler,
      Duration ownershipWindow) {
    this.manager = manager;
    this.ledger = ledger;
    this.metrics = metrics;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.ownershipWindow = ownershipWindow;
  }

  /** Ends every report still retrying (at the end of shutdown); new failures are not retried. */
  public void abandonReports() {
    abandon.cancel("shutdown deadline");
  }

  /**
   * Settles the lease in the background, so the worker that finished it starts its next task at
   * once.
   */
  public void settleLater(Lease lease) {
    reporters.execute(() -> settle(lease));
  }

  /**
   * Hands back a lease taken out of the worker queue (never started) in the background; a lease
   * lost meanwhile is dropped instead.
   */
  public void handBackLater(Lease lease, String reason) {
    if (ledger.handBack(lease, reason).changed()) {
      settleLater(lease);
    } else {
      ledger.drop(lease);
    }
  }

  /** Settles a lease in {@link LeaseState.Reporting} on the calling thread, then releases it. */
  public void settle(Lease lease) {
    if (!(lease.state() instanceof LeaseState.Reporting reporting)) {
      throw new IllegalStateException("nothing to report for " + lease);
    }
    try {
      // Nothing to do for Outcome.Drop.
      if (reporting.outcome() instanceof Outcome.Completed c) {
        retry(
            lease,
            "report",
            () -> {
              confirmOwnership(lease);
              manager.complete(lease.taskId(), new TaskReport.Completed(c.text()));
              metrics.taskCompleted(took(lease));
            });
      } else if (reporting.outcome() instanceof Outcome.Failed f) {
        retry(
            lease,
            "report",
            () -> {
              confirmOwnership(lease);
              manager.complete(lease.taskId(), new TaskReport.Failed(f.reason()));
              metrics.taskFailed(f.kind(), took(lease));
            });
      } else if (reporting.outcome() instanceof Outcome.HandBack h) {
        retry(
            lease,
            "requeue",
            () -> {
              manager.requeue(lease.taskId(), h.reason());
              metrics.taskRequeued();
            });
      }
    } finally {
      ledger.settled(lease);
    }
  }

  /** A heartbeat, unless a recent claim or heartbeat already found the task ours. */
  private void confirmOwnership(Lease lease) {
    long now = scheduler.nanoTime();
    if (!lease.ownedWithin(ownershipWindow, now)) {
      manager.heartbeat(lease.taskId());
      lease.ownedAsOf(now);
    }
  }

  private Duration took(Lease lease) {
    return Duration.ofNanos(scheduler.nanoTime() - lease.claimedNanos());
  }

  private void retry(Lease lease, String what, Runnable call) {
    String id = lease.taskId();
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
        if (abandon.isCancelled()) {
          log.error(
              "task {}: {} abandoned at shutdown ({}); the manager's cleanup will return the"
                  + " task to pending",
              id,
              what,
              e.getMessage());
          return;
        }
        Duration delay = backoff.delay(attempt);
        log.warn(
            "task {}: {} failed ({}); retrying in {} ms",
            id,
            what,
            e.getMessage(),
            delay.toMillis());
        if (Waits.pause(scheduler, delay, abandon) && Thread.currentThread().isInterrupted()) {
          // Without this, an interrupted thread would retry at once, for ever: every wait
          // and every call fails at once while the interrupt flag is set.
          log.error(
              "task {}: {} abandoned: interrupted; the manager's cleanup will return the task"
                  + " to pending",
              id,
              what);
          return;
        }
      }
    }
  }
}
