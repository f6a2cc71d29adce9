package dev.gollm.devstack.manager;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event buffer of one SSE connection: holds at most {@code capacity} encoded events; an event
 * that finds it full is dropped silently, as the manager's buffered Go channel does. Only the
 * connection's own thread takes from it.
 */
final class SseMailbox {
  /** Why {@link #next} returned without an event. */
  enum Wake {
    EVENT,
    TIMEOUT,
    CLOSED
  }

  private final int capacity;
  private final ArrayDeque<byte[]> events;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean closed;
  private long dropped;

  SseMailbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(capacity);
  }

  /** Adds an event unless the box is full or closed; returns whether it was kept. */
  boolean offer(byte[] event) {
    lock.lock();
    try {
      if (closed || events.size() >= capacity) {
        dropped++;
        return false;
      }
      events.addLast(event);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until an event is there, the box is closed, or {@code deadlineNanos} (a {@link
   * System#nanoTime()} value; {@link Long#MAX_VALUE} for none) passes. An event found is moved into
   * {@code out[0]}. Close wins over pending events.
   */
  Wake next(long deadlineNanos, byte[][] out) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return Wake.CLOSED;
        }
        byte[] event = events.pollFirst();
        if (event != null) {
          out[0] = event;
          return Wake.EVENT;
        }
        if (deadlineNanos == Long.MAX_VALUE) {
          changed.await();
        } else {
          long remaining = deadlineNanos - System.nanoTime();
          if (remaining <= 0) {
            return Wake.TIMEOUT;
          }
          changed.awaitNanos(remaining);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the connection's thread for good; later offers are dropped. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }
}
