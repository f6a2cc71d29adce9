package dev.gollm.processor.intake;

import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over stale tasks of overloaded processors (the manager hands out only tasks whose heartbeat
 * went stale), competing with the claimer for room. A round is due every WORK_STEALING_INTERVAL ±20
 * %, the first at a random point of the first interval, so a fleet's stealers do not fire together.
 * A due round:
 *
 * <ul>
 *   <li>with at least WORK_STEALING_MIN_CAPACITY of the workers free, asks for min(free room,
 *       WORK_STEALING_MAX_COUNT, 5) tasks at once;
 *   <li>with less free (a busy processor), takes the next place that frees (or the one free now)
 *       and asks for one task, so stale tasks, older than anything pending, do not wait for the
 *       manager's cleanup while a backlog keeps every processor busy.
 * </ul>
 *
 * A call that comes back full (as many as asked) shows more stale work: the stealer asks again at
 * once while room remains, then competes for each place that frees, until a call comes back short.
 * A full call also wakes the claimer, in case what it showed was not only stale work.
 */
public final class WorkStealer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkStealer.class);

  /** The manager replaces a max_steal_count outside 1..5 by 2. */
  static final int MANAGER_MAX_STEAL = 5;

  /** How far a round's interval varies, in percent. */
  static final int SPREAD_PERCENT = 20;

  private final LeaseLedger ledger;
  private final Admission admission;
  private final int workerCount;
  private final int maxCount;
  private final double minFreeShare;
  private final Duration interval;
  private final Runnable workShown;
  private final RandomGenerator random;
  private final Scheduler scheduler;
  private final IntakeLoop loop;
  private boolean draining;
  private long nextRoundNanos;

  /**
   * @param maxCount WORK_STEALING_MAX_COUNT (capped at the manager's 5)
   * @param minFreeShare WORK_STEALING_MIN_CAPACITY: the free share of the workers at which a round
   *     steals in bulk
   * @param interval WORK_STEALING_INTERVAL
   * @param workShown called after a call that came back full (to wake the claimer)
   * @param stopWait how long {@link #close()} waits for a call in progress
   */
  public WorkStealer(
      LeaseLedger ledger,
      Admission admission,
      int workerCount,
      int maxCount,
      double minFreeShare,
      Duration interval,
      Runnable workShown,
      RandomGenerator random,
      Scheduler scheduler,
      Duration stopWait) {
    this.ledger = ledger;
    this.admission = admission;
    this.workerCount = workerCount;
    this.maxCount = Math.min(maxCount, MANAGER_MAX_STEAL);
    this.minFreeShare = minFreeShare;
    this.interval = interval;
    this.workShown = workShown;
    this.random = random;
    this.scheduler = scheduler;
    this.nextRoundNanos = scheduler.nanoTime() + random.nextLong(interval.toNanos() + 1);
    this.loop =
        new IntakeLoop(
            "work-stealer",
            new IntakeLoop.Role() {
              @Override
              public boolean callIfDue() {
                return stealIfDue();
              }

              @Override
              public long timerNanos() {
                return nextRoundNanos;
              }

              @Override
              public boolean ready() {
                return wantedNow() > 0;
              }
            },
            scheduler,
            stopWait);
    ledger.onRoomFreed(this::roomFreed);
  }

  public WorkStealer start() {
    loop.start();
    return this;
  }

  private void roomFreed() {
    loop.signal(() -> {});
  }

  private boolean roundDue() {
    return scheduler.nanoTime() - nextRoundNanos >= 0;
  }

  /** The number of tasks to ask for now: 0 unless a round is due or draining, and there is room. */
  private int wantedNow() {
    if (!draining && !roundDue()) {
      return 0;
    }
    int room = ledger.freeRoom();
    if (room == 0) {
      return 0;
    }
    boolean freeEnough = (double) Math.min(room, workerCount) / workerCount >= minFreeShare;
    return draining || freeEnough ? Math.min(room, maxCount) : 1;
  }

  /**
   * Makes one steal call if one is due and there is room (the stealer's thread calls this in a
   * loop; tests call it directly); true when it called.
   */
  boolean stealIfDue() {
    int wanted =
        loop.locked(
            () -> {
              int n = loop.stopping() ? 0 : wantedNow();
              if (n > 0 && roundDue()) {
                nextRoundNanos =
                    scheduler.nanoTime() + Jitter.around(interval, SPREAD_PERCENT, random);
              }
              return n;
            });
    if (wanted == 0) {
      return false;
    }
    steal(wanted);
    return true;
  }

  private void steal(int wanted) {
    Admission.Result stolen;
    try {
      stolen = admission.admit(Admission.Source.STEAL, wanted);
    } catch (ManagerException e) {
      log.warn("work stealing failed: {}", e.getMessage());
      loop.signal(() -> draining = false);
      return;
    }
    if (stolen.reserved() == 0) {
      return; // the room went meanwhile (the claimer took it)
    }
    if (stolen.admitted() > 0) {
      log.info("stole {} stale task(s) from overloaded processors", stolen.admitted());
    }
    loop.signal(() -> draining = stolen.full());
    if (stolen.full()) {
      workShown.run();
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
