package dev.gollm.processor.task;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every held lease alive, waiting or running, with one heartbeat each per round. A 404 means
 * the task is no longer ours: its lease is marked lost, which cancels its work.
 */
public final class LeaseHeartbeater implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeater.class);

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final ProcessorMetrics metrics;
  private final Consumer<Lease> onLost;

  /**
   * @param onLost called after a lease is marked lost, to withdraw a task that has not started
   */
  public LeaseHeartbeater(
      ManagerApi manager, LeaseLedger ledger, ProcessorMetrics metrics, Consumer<Lease> onLost) {
    this.manager = manager;
    this.ledger = ledger;
    this.metrics = metrics;
    this.onLost = onLost;
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
    if (lease.isLost()) {
      return;
    }
    try {
      manager.heartbeat(lease.taskId());
    } catch (ManagerException.LeaseLost e) {
      if (lease.isSettling()) {
        // Most likely our own report or hand-back has just landed; if the lease really is
        // lost, the report's confirming heartbeat finds out and counts it.
        log.debug("task {}: heartbeat 404 while its outcome is being sent", lease.taskId());
        return;
      }
      log.info("task {}: lease lost ({}); cancelling it", lease.taskId(), e.getMessage());
      metrics.leaseLost();
      lease.markLost("lease lost: " + e.getMessage());
      onLost.accept(lease);
    } catch (ManagerException e) {
      failed.incrementAndGet();
      log.debug("heartbeat for task {} failed", lease.taskId(), e);
    }
  }
}
