package dev.gollm.processor.lease;

import dev.gollm.processor.manager.ManagerTask;
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
 * Every lease this processor holds, and the one authority on how many more it may take. Intake
 * reserves room before it claims, so the processor never holds more than {@code capacity} tasks
 * (WORKER_COUNT plus the prefetch) nor more than {@code maxWaiting} (QUEUE_SIZE) tasks not yet
 * started.
 */
public final class LeaseLedger {
  private final int capacity;
  private final int maxWaiting;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Lease> leases = new LinkedHashMap<>();
  private final List<Runnable> freedListeners = new CopyOnWriteArrayList<>();
  private int reserved;
  private int running;
  private int settling;
  private long sequence;

  public LeaseLedger(int capacity, int maxWaiting) {
    this.capacity = capacity;
    this.maxWaiting = maxWaiting;
  }

  /** Runs {@code listener} whenever room frees up (a lease released or a reservation returned). */
  public void onRoomFreed(Runnable listener) {
    freedListeners.add(listener);
  }

  /** Room for more tasks now, counting reservations as taken. */
  public int freeRoom() {
    lock.lock();
    try {
      return free();
    } finally {
      lock.unlock();
    }
  }

  private int free() {
    int held = leases.size() + reserved;
    int waiting = leases.size() - running - settling + reserved;
    return Math.max(0, Math.min(capacity - held, maxWaiting - waiting));
  }

  /** Reserves room for up to {@code wanted} tasks; returns how many were reserved (maybe 0). */
  public int reserve(int wanted) {
    lock.lock();
    try {
      int n = Math.min(wanted, free());
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
      reserved -= n;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    freedListeners.forEach(Runnable::run);
  }

  /**
   * Turns one reservation into a lease on {@code task}; null when the task is already held (the
   * reservation is returned then).
   */
  public Lease admit(ManagerTask task) {
    lock.lock();
    try {
      if (reserved <= 0) {
        throw new IllegalStateException("admit without a reservation: " + task.id());
      }
      reserved--;
      if (leases.containsKey(task.id())) {
        changed.signalAll();
        return null;
      }
      Lease lease = new Lease(task, sequence++, System.nanoTime());
      leases.put(task.id(), lease);
      return lease;
    } finally {
      lock.unlock();
    }
  }

  /** Marks a lease's task as started on a worker. */
  public void started(Lease lease) {
    lock.lock();
    try {
      if (leases.get(lease.taskId()) == lease && lease.state() == Lease.State.WAITING) {
        lease.state(Lease.State.RUNNING);
        running++;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Marks a running lease's generation as over: it no longer occupies a worker. */
  public void settling(Lease lease) {
    lock.lock();
    try {
      if (leases.get(lease.taskId()) == lease && lease.state() == Lease.State.RUNNING) {
        lease.state(Lease.State.SETTLING);
        running--;
        settling++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Forgets a lease whose task is reported, handed back or lost; frees its room. */
  public void release(Lease lease) {
    lock.lock();
    try {
      if (!leases.remove(lease.taskId(), lease)) {
        return;
      }
      switch (lease.state()) {
        case RUNNING -> running--;
        case SETTLING -> settling--;
        case WAITING -> {}
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    freedListeners.forEach(Runnable::run);
  }

  /** A snapshot of the leases held. */
  public List<Lease> held() {
    return read(() -> new ArrayList<>(leases.values()));
  }

  public int heldCount() {
    return read(leases::size);
  }

  public int runningCount() {
    return read(() -> running);
  }

  public int waitingCount() {
    return read(() -> leases.size() - running - settling);
  }

  /** Blocks until no lease is held or the timeout passes; true when none is held. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    return awaitUntil(leases::isEmpty, timeout);
  }

  /** Blocks until no task is running or the timeout passes; true when none runs. */
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
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  public int capacity() {
    return capacity;
  }
}
