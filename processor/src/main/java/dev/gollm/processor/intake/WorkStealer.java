package dev.gollm.processor.intake;

import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of work stealing: when the free share of the workers reaches
 * WORK_STEALING_MIN_CAPACITY, take over up to min(WORK_STEALING_MAX_COUNT, 5, free room) stale
 * tasks of overloaded processors and run them like claimed ones.
 */
public final class WorkStealer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(WorkStealer.class);

  /** The manager replaces a max_steal_count outside 1..5 by 2. */
  static final int MANAGER_MAX_STEAL = 5;

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final Admission admission;
  private final int workerCount;
  private final int maxCount;
  private final double minFreeShare;

  public WorkStealer(
      ManagerApi manager,
      LeaseLedger ledger,
      Admission admission,
      int workerCount,
      int maxCount,
      double minFreeShare) {
    this.manager = manager;
    this.ledger = ledger;
    this.admission = admission;
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
    Admission.Result stolen;
    try {
      stolen = admission.admit("work-steal", Math.min(maxCount, room), manager::steal);
    } catch (ManagerException e) {
      log.warn("work stealing failed: {}", e.getMessage());
      return;
    }
    if (stolen.admitted() > 0) {
      log.info("stole {} stale task(s) from overloaded processors", stolen.admitted());
    }
  }
}
