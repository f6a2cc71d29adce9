package dev.gollm.devstack.ollama;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Parallel generation slots with a bounded FIFO wait queue, like OLLAMA_NUM_PARALLEL and
 * OLLAMA_MAX_QUEUE: a request takes a free slot, else waits in line if fewer than {@code maxQueue}
 * wait already, else is refused.
 */
final class SlotGate {
  /** Thrown when every slot is busy and the queue is full. */
  static final class QueueFullException extends Exception {
    QueueFullException(int slots, int queue) {
      super("all " + slots + " slots busy and " + queue + " requests queued");
    }
  }

  /** A held slot; closing it (once or more) hands the slot to the next in line. */
  final class Slot implements AutoCloseable {
    private final AtomicBoolean released = new AtomicBoolean();

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release();
      }
    }
  }

  private static final class Waiter {
    final Condition turn;
    boolean granted;

    Waiter(Condition turn) {
      this.turn = turn;
    }
  }

  private final int slots;
  private final int maxQueue;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int active;
  private int peakActive;
  private int peakQueued;

  SlotGate(int slots, int maxQueue) {
    if (slots < 1 || maxQueue < 0) {
      throw new IllegalArgumentException(
          "slots "
              + slots
              + " and queue "
              + maxQueue
              + " invalid; expected slots >= 1, queue >= 0");
    }
    this.slots = slots;
    this.maxQueue = maxQueue;
  }

  /**
   * Takes a slot, waiting in line when none is free; {@code onQueued} runs (under the gate's lock,
   * so keep it short) when the request has to wait.
   */
  Slot acquire(Runnable onQueued) throws QueueFullException, InterruptedException {
    lock.lock();
    try {
      if (active < slots && queue.isEmpty()) {
        active++;
        peakActive = Math.max(peakActive, active);
        return new Slot();
      }
      if (queue.size() >= maxQueue) {
        throw new QueueFullException(slots, queue.size());
      }
      Waiter me = new Waiter(lock.newCondition());
      queue.addLast(me);
      peakQueued = Math.max(peakQueued, queue.size());
      onQueued.run();
      try {
        while (!me.granted) {
          me.turn.await();
        }
      } catch (InterruptedException e) {
        if (me.granted) {
          releaseLocked();
        } else {
          queue.remove(me);
        }
        throw e;
      }
      return new Slot();
    } finally {
      lock.unlock();
    }
  }

  private void release() {
    lock.lock();
    try {
      releaseLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Hands the slot straight to the first waiter, so the active count does not dip. */
  private void releaseLocked() {
    Waiter next = queue.pollFirst();
    if (next == null) {
      active--;
    } else {
      next.granted = true;
      next.turn.signal();
    }
  }

  int active() {
    lock.lock();
    try {
      return active;
    } finally {
      lock.unlock();
    }
  }

  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  int peakActive() {
    lock.lock();
    try {
      return peakActive;
    } finally {
      lock.unlock();
    }
  }

  int peakQueued() {
    lock.lock();
    try {
      return peakQueued;
    } finally {
      lock.unlock();
    }
  }

  /** Starts peak tracking afresh from the current levels. */
  void resetPeaks() {
    lock.lock();
    try {
      peakActive = active;
      peakQueued = queue.size();
    } finally {
      lock.unlock();
    }
  }
}
