package dev.gollm.processor.lease;

import dev.gollm.processor.lease.LeaseState.Lost;
import dev.gollm.processor.lease.LeaseState.Reporting;
import dev.gollm.processor.lease.LeaseState.Running;
import dev.gollm.processor.lease.LeaseState.Waiting;
import dev.gollm.processor.lease.Transition.Changed;
import dev.gollm.processor.lease.Transition.Refused;
import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every lease this processor holds, the one place their states change, and the one authority on how
 * many more it may take. Intake reserves room before it claims, so the processor never holds more
 * than {@code capacity} tasks (WORKER_COUNT plus the prefetch) nor more than {@code maxWaiting}
 * (QUEUE_SIZE) tasks not yet started.
 *
 * <p>Each transition either moves a lease and returns {@link Changed} or leaves it alone and
 * returns {@link Refused}. A lease is released (forgotten, its room freed) only by the transition
 * into {@link LeaseState.Released}, made by whoever holds the lease then: the worker, the reporter,
 * or whoever took a lost lease out of the queue.
 */
public final class LeaseLedger {
  private final int capacity;
  private final int maxWaiting;
  private final Scheduler scheduler;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Lease> leases = new LinkedHashMap<>();
  private final List<Runnable> freedListeners = new CopyOnWriteArrayList<>();
  private int reserved;
  private int running;
  private int reporting;
  private long sequence;

  public LeaseLedger(int capacity, int maxWaiting, Scheduler scheduler) {
    this.capacity = capacity;
    this.maxWaiting = maxWaiting;
    this.scheduler = scheduler;
  }

  /** Runs {@code listener} whenever room frees up (a lease released or a reservation returned). */
  public void onRoomFreed(Runnable listener) {
    freedListeners.add(listener);
  }

  /** Room for more tasks now, counting reservations as taken. */
  public int freeRoom() {
    return read(this::free);
  }

  private int free() {
    int held = leases.size() + reserved;
    int waiting = leases.size() - running - reporting + reserved;
    return Math.max(0, Math.min(capacity - held, maxWaiting - waiting));
  }

  /** Reserves room for up to {@code wanted} tasks; returns how many were reserved (maybe 0). */
  public int reserve(int wanted) {
    lock.lock();
    try {
      int n = Math.max(0, Math.min(wanted, free()));
      reserved += n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Returns reservations that no task filled. */
  public void unreserve(int n) {
    if (n <= 0) {
      return;
    }
    lock.lock();
    try {
      if (n > reserved) {
        throw new IllegalStateException("returning " + n + " reservations of " + reserved);
      }
      reserved -= n;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    freedListeners.forEach(Runnable::run);
  }

  /**
   * Turns one reservation into a waiting lease on a claimed {@code task}; null when the task is
   * already held (the reservation is returned then).
   *
   * @param askedNanos the scheduler's {@code nanoTime()} before the claim was sent: the task is
   *     ours as of then ({@link Lease#ownedAsOf})
   */
  public Lease admit(ClaimedTask task, long askedNanos) {
    Lease lease = admit(task, LeaseState.WAITING);
    if (lease != null) {
      lease.ownedAsOf(askedNanos);
    }
    return lease;
  }

  /**
   * Turns one reservation into a lease on {@code task} still to be confirmed ({@link
   * LeaseState.Confirming}); null when the task is already held (the reservation is returned then).
   */
  public Lease admitUnconfirmed(ClaimedTask task) {
    return admit(task, LeaseState.CONFIRMING);
  }

  private Lease admit(ClaimedTask task, LeaseState initial) {
    Lease lease;
    lock.lock();
    try {
      if (reserved <= 0) {
        throw new IllegalStateException("admit without a reservation: " + task.id());
      }
      reserved--;
      if (leases.containsKey(task.id())) {
        lease = null;
        changed.signalAll();
      } else {
        lease = new Lease(task, sequence++, scheduler.nanoTime(), initial);
        leases.put(task.id(), lease);
      }
    } finally {
      lock.unlock();
    }
    if (lease == null) {
      freedListeners.forEach(Runnable::run);
    }
    return lease;
  }

  /** Confirming → Waiting: the manager confirmed the task is ours; it may be queued. */
  public Transition confirm(Lease lease) {
    return move(lease, s -> s instanceof LeaseState.Confirming ? LeaseState.WAITING : null);
  }

  /** Waiting → Running: a worker starts the task. */
  public Transition start(Lease lease) {
    return move(lease, s -> s instanceof Waiting ? LeaseState.RUNNING : null);
  }

  /**
   * The worker is off the lease. Running → Reporting(outcome), or Released when there is nothing to
   * report ({@link Outcome.Drop}); Lost (with the worker on it) → Released.
   */
  public Transition finish(Lease lease, Outcome outcome) {
    return move(
        lease,
        s -> {
          if (s instanceof Running) {
            return outcome instanceof Outcome.Drop ? LeaseState.RELEASED : new Reporting(outcome);
          }
          return s instanceof Lost l && l.workerOn() ? LeaseState.RELEASED : null;
        });
  }

  /** Waiting → Reporting(hand back): a task that never started goes back to the manager. */
  public Transition handBack(Lease lease, String reason) {
    return move(
        lease, s -> s instanceof Waiting ? new Reporting(new Outcome.HandBack(reason)) : null);
  }

  /**
   * Confirming, Waiting or Running → Lost: the manager took the task back (or never gave it to us
   * alone); its work is cancelled. Refused while reporting: the manager's 404 is then most likely
   * the report itself landing, and the report finds out on its own.
   */
  public Transition lose(Lease lease, String reason) {
    Transition t =
        move(
            lease,
            s -> {
              if (s instanceof LeaseState.Confirming || s instanceof Waiting) {
                return new Lost(reason, false);
              }
              return s instanceof Running ? new Lost(reason, true) : null;
            });
    if (t.changed()) {
      lease.cancel().cancel(reason);
    }
    return t;
  }

  /**
   * Lost (no worker on it) → Released, by whoever holds it: whoever took it out of the queue, or
   * the admission that was confirming it.
   */
  public Transition drop(Lease lease) {
    return move(lease, s -> s instanceof Lost l && !l.workerOn() ? LeaseState.RELEASED : null);
  }

  /** Reporting → Released: the outcome is settled (or given up on). */
  public Transition settled(Lease lease) {
    return move(lease, s -> s instanceof Reporting ? LeaseState.RELEASED : null);
  }

  @FunctionalInterface
  private interface Rule {
    /** The next state, or null when the change does not apply. */
    LeaseState next(LeaseState current);
  }

  private Transition move(Lease lease, Rule rule) {
    Transition result;
    boolean released;
    lock.lock();
    try {
      LeaseState current = lease.state();
      LeaseState next = leases.get(lease.taskId()) == lease ? rule.next(current) : null;
      if (next == null) {
        return new Refused(current);
      }
      running += occupiesWorker(next) - occupiesWorker(current);
      reporting += (next instanceof Reporting ? 1 : 0) - (current instanceof Reporting ? 1 : 0);
      lease.state(next);
      released = next instanceof LeaseState.Released;
      if (released) {
        leases.remove(lease.taskId());
      }
      changed.signalAll();
      result = new Changed(next);
    } finally {
      lock.unlock();
    }
    if (released) {
      freedListeners.forEach(Runnable::run);
    }
    return result;
  }

  private static int occupiesWorker(LeaseState s) {
    return s instanceof Running || (s instanceof Lost l && l.workerOn()) ? 1 : 0;
  }

  /** A snapshot of the leases held. */
  public List<Lease> held() {
    return read(() -> new ArrayList<>(leases.values()));
  }

  public int heldCount() {
    return read(leases::size);
  }

  /** Leases a worker is on (running, or lost while running and not yet let go). */
  public int runningCount() {
    return read(() -> running);
  }

  /** Leases whose outcome is being settled with the manager. */
  public int reportingCount() {
    return read(() -> reporting);
  }

  public int waitingCount() {
    return read(() -> leases.size() - running - reporting);
  }

  /** Blocks until no lease is held or the timeout passes; true when none is held. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    return awaitUntil(leases::isEmpty, timeout);
  }

  /** Blocks until no worker is on a lease or the timeout passes; true when none is. */
  public boolean awaitNoneRunning(Duration timeout) throws InterruptedException {
    return awaitUntil(() -> running == 0, timeout);
  }

  private <T> T read(Supplier<T> value) {
    lock.lock();
    try {
      return value.get();
    } finally {
      lock.unlock();
    }
  }

  private boolean awaitUntil(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    lock.lock();
    try {
      return scheduler.awaitUntil(lock, changed, condition, timeout);
    } finally {
      lock.unlock();
    }
  }

  public int capacity() {
    return capacity;
  }
}
