package dev.gollm.processor.stop;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.pool.WorkerPool;
import dev.gollm.processor.task.OutcomeReporter;
import dev.gollm.processor.task.TaskRunner;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's orderly stop: no new work, every waiting task handed back, running tasks given
 * the grace period to finish and report, then cancelled (and so handed back), reports given a
 * deadline and then abandoned; lease heartbeats go on until nothing is held.
 */
public final class GracefulStop {
  private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

  /** The waits of a stop. */
  public record Waits(
      Duration grace, Duration reportDeadline, Duration abandonWait, Duration workerStopWait) {}

  private final List<? extends AutoCloseable> intake;
  private final WorkerPool pool;
  private final LeaseLedger ledger;
  private final OutcomeReporter reporter;
  private final AutoCloseable heartbeats;
  private final Waits waits;

  /**
   * @param intake everything that brings new work (claimer, stealing) or other periodic calls,
   *     closed first
   * @param heartbeats the lease heartbeats, closed last
   */
  public GracefulStop(
      List<? extends AutoCloseable> intake,
      WorkerPool pool,
      LeaseLedger ledger,
      OutcomeReporter reporter,
      AutoCloseable heartbeats,
      Waits waits) {
    this.intake = intake;
    this.pool = pool;
    this.ledger = ledger;
    this.reporter = reporter;
    this.heartbeats = heartbeats;
    this.waits = waits;
  }

  /** Runs the stop; returns how many leases are still held at the end (0 when all went well). */
  public int run() throws InterruptedException {
    log.info("shutting down: no new claims; {} task(s) held", ledger.heldCount());
    intake.forEach(GracefulStop::close);
    List<Lease> waiting = pool.stopAndDrain();
    if (!waiting.isEmpty()) {
      log.info("handing back {} task(s) that had not started", waiting.size());
      // Not awaited here: with the manager unreachable a hand-back retries until the report
      // deadline below abandons it.
      waiting.forEach(l -> reporter.handBackLater(l, TaskRunner.SHUTDOWN_REASON));
    }
    if (!ledger.awaitNoneRunning(waits.grace())) {
      log.warn(
          "{} task(s) still running after the {} grace period; cancelling and requeueing them",
          ledger.runningCount(),
          waits.grace());
      ledger.held().forEach(l -> l.cancel().cancel("shutdown grace period over"));
    }
    if (!ledger.awaitEmpty(waits.reportDeadline())) {
      reporter.abandonReports();
      ledger.awaitEmpty(waits.abandonWait());
    }
    pool.awaitWorkers(waits.workerStopWait());
    close(heartbeats);
    int left = ledger.heldCount();
    if (left == 0) {
      log.info("shutdown complete: nothing held");
    } else {
      log.error("shutdown: {} task(s) could not be handed back; the manager's cleanup will", left);
    }
    return left;
  }

  private static void close(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      log.warn("stopping {} failed: {}", part, e.toString());
    }
  }
}
