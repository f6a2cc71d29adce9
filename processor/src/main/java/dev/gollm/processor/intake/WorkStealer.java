package dev.gollm.processor.intake;

import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.schedule.Scheduler;
import dev.gollm.processor.schedule.Waits;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
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
  private final Duration stopWait;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean stopping;
  private boolean ended;
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
    this.stopWait = stopWait;
    this.nextRoundNanos = scheduler.nanoTime() + random.nextLong(interval.toNanos() + 1);
    this.thread = Thread.ofVirtual().name("work-stealer").unstarted(this::loop);
    ledger.onRoomFreed(this::roomFreed);
  }

  public WorkStealer start() {
    thread.start();
    return this;
  }

  private void roomFreed() {
    signal(() -> {});
  }

  private void signal(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (!isStopping()) {
        if (!stealIfDue()) {
          awaitChange();
        }
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      signal(() -> ended = true);
    }
  }

  private boolean isStopping() {
    lock.lock();
    try {
      return stopping;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a steal may be due: stopping, the round time came, or room for a due steal. */
  private void awaitChange() throws InterruptedException {
    lock.lock();
    try {
      long planned = nextRoundNanos;
      BooleanSupplier worthALook = () -> stopping || nextRoundNanos != planned || wantedNow() > 0;
      long until = planned - scheduler.nanoTime();
      if (until > 0) {
        Waits.awaitUntil(scheduler, lock, changed, worthALook, Duration.ofNanos(until));
      } else {
        while (!worthALook.getAsBoolean()) {
          changed.await(); // due, but no room: woken when room frees
        }
      }
    } finally {
      lock.unlock();
    }
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
    int wanted;
    lock.lock();
    try {
      wanted = stopping ? 0 : wantedNow();
      if (wanted == 0) {
        return false;
      }
      if (roundDue()) {
        nextRoundNanos = scheduler.nanoTime() + Jitter.around(interval, SPREAD_PERCENT, random);
      }
    } finally {
      lock.unlock();
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
      signal(() -> draining = false);
      return;
    }
    if (stolen.reserved() == 0) {
      return; // the room went meanwhile (the claimer took it)
    }
    if (stolen.admitted() > 0) {
      log.info("stole {} stale task(s) from overloaded processors", stolen.admitted());
    }
    signal(() -> draining = stolen.full());
    if (stolen.full()) {
      workShown.run();
    }
  }

  @Override
  public void close() {
    signal(() -> stopping = true);
    if (thread.getState() == Thread.State.NEW) {
      return; // never started: joining it would throw
    }
    lock.lock();
    try {
      if (!Waits.awaitUntil(scheduler, lock, changed, () -> ended, stopWait)) {
        log.warn("the work stealer did not stop within {} ms", stopWait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
