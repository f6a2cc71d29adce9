package dev.gollm.processor.task;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Transition;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.metrics.ProcessorMetrics.HeartbeatOutcome;
import dev.gollm.processor.schedule.Scheduler;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every held lease alive, waiting, running or reporting, with one heartbeat each per round. A
 * 404 means the task is no longer ours: the lease is lost, which cancels its work, and a task that
 * had not started is taken out of the queue.
 */
public final class LeaseHeartbeater implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeater.class);

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final ProcessorMetrics metrics;
  private final Predicate<Lease> withdraw;
  private final Scheduler scheduler;

  /**
   * @param withdraw takes a lease out of the worker queue; false when a worker already has it
   */
  public LeaseHeartbeater(
      ManagerApi manager,
      LeaseLedger ledger,
      ProcessorMetrics metrics,
      Predicate<Lease> withdraw,
      Scheduler scheduler) {
    this.manager = manager;
    this.ledger = ledger;
    this.metrics = metrics;
    this.withdraw = withdraw;
    this.scheduler = scheduler;
  }

  /** One round: a heartbeat for every lease held, in parallel. */
  @Override
  public void run() {
    List<Lease> leases = ledger.held();
    if (leases.isEmpty()) {
      return;
    }
    AtomicInteger failed = new AtomicInteger();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Lease lease : leases) {
        calls.submit(() -> beat(lease, failed));
      }
    }
    if (failed.get() > 0) {
      log.warn(
          "{} of {} lease heartbeats failed; retrying next round", failed.get(), leases.size());
    }
  }

  private void beat(Lease lease, AtomicInteger failed) {
    if (lease.state() instanceof LeaseState.Lost) {
      return;
    }
    try {
      long sent = scheduler.nanoTime();
      manager.heartbeat(lease.taskId());
      lease.ownedAsOf(sent);
      metrics.leaseHeartbeat(HeartbeatOutcome.OK);
    } catch (ManagerException.LeaseLost e) {
      metrics.leaseHeartbeat(HeartbeatOutcome.LOST);
      lost(lease, e.getMessage());
    } catch (ManagerException e) {
      metrics.leaseHeartbeat(HeartbeatOutcome.ERROR);
      failed.incrementAndGet();
      log.debug("heartbeat for task {} failed", lease.taskId(), e);
    }
  }

  private void lost(Lease lease, String why) {
    Transition t = ledger.lose(lease, "lease lost: " + why);
    if (!(t instanceof Transition.Changed(LeaseState.Lost lost))) {
      // Most likely our own report or hand-back has just landed. If the lease really is lost,
      // the report must not complete it unconfirmed: its confirming heartbeat finds out.
      lease.ownershipDoubted();
      log.debug("task {}: heartbeat 404 while {}", lease.taskId(), lease.state());
      return;
    }
    log.info("task {}: lease lost ({}); cancelling it", lease.taskId(), why);
    metrics.leaseLost();
    if (!lost.workerOn() && withdraw.test(lease)) {
      ledger.drop(lease);
    }
  }
}
