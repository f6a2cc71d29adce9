package dev.gollm.processor.intake;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of work stealing: when the free share of the workers reaches
 * WORK_STEALING_MIN_CAPACITY, take over up to min(WORK_STEALING_MAX_COUNT, free room) stale tasks
 * of overloaded processors and run them like claimed ones.
 */
public final class WorkStealer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(WorkStealer.class);

  /** The manager replaces a max_steal_count outside 1..5 by 2. */
  private static final int MANAGER_MAX_STEAL = 5;

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final Consumer<Lease> admitted;
  private final int workerCount;
  private final int maxCount;
  private final double minFreeShare;

  public WorkStealer(
      ManagerApi manager,
      LeaseLedger ledger,
      Consumer<Lease> admitted,
      int workerCount,
      int maxCount,
      double minFreeShare) {
    this.manager = manager;
    this.ledger = ledger;
    this.admitted = admitted;
    this.workerCount = workerCount;
    this.maxCount = Math.min(maxCount, MANAGER_MAX_STEAL);
    this.minFreeShare = minFreeShare;
  }

  @Override
  public void run() {
    int room = ledger.freeRoom();
    if ((double) Math.min(room, workerCount) / workerCount < minFreeShare) {
      return;
    }
    int reserved = ledger.reserve(Math.min(maxCount, room));
    if (reserved == 0) {
      return;
    }
    List<ManagerTask> stolen;
    try {
      stolen = manager.steal(reserved);
    } catch (ManagerException e) {
      ledger.unreserve(reserved);
      log.warn("work stealing failed: {}", e.getMessage());
      return;
    }
    int taken = 0;
    for (ManagerTask task : stolen) {
      if (taken == reserved) {
        log.warn(
            "the manager handed over more tasks than asked; task {} left to cleanup", task.id());
        continue;
      }
      taken++;
      Lease lease = ledger.admit(task);
      if (lease != null) {
        admitted.accept(lease);
      }
    }
    ledger.unreserve(reserved - taken);
    if (taken > 0) {
      log.info("stole {} stale task(s) from overloaded processors", taken);
    }
  }
}
