package dev.gollm.devstack.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last lines of a processor's output, kept for tests to search, to find its health port and to
 * quote when it fails. Older lines are counted, not kept, so a long run's memory stays bounded.
 */
final class OutputTail {
  private static final Pattern LISTENING =
      Pattern.compile("health server listening on 127\\.0\\.0\\.1:(\\d+)");

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<String> kept = new ArrayDeque<>();
  private long dropped;
  private int healthPort = -1;
  private boolean ended;

  OutputTail(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds the next line; the first one announcing the health server sets the port. */
  void add(String line) {
    lock.lock();
    try {
      if (healthPort < 0) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          healthPort = Integer.parseInt(m.group(1));
        }
      }
      if (kept.size() == capacity) {
        kept.removeFirst();
        dropped++;
      }
      kept.addLast(line);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** No more lines will come: whoever waits for one stops waiting. */
  void end() {
    lock.lock();
    try {
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  List<String> lines() {
    lock.lock();
    try {
      return List.copyOf(kept);
    } finally {
      lock.unlock();
    }
  }

  List<String> last(int n) {
    lock.lock();
    try {
      return kept.stream().skip(Math.max(0, kept.size() - n)).toList();
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

  OptionalInt healthPort() {
    lock.lock();
    try {
      return healthPort < 0 ? OptionalInt.empty() : OptionalInt.of(healthPort);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the health port to be announced.
   *
   * @throws IllegalStateException when the output ends or {@code limit} passes first, quoting the
   *     last lines and naming {@code who}
   */
  int awaitHealthPort(String who, Duration limit) throws InterruptedException {
    long nanos = limit.toNanos();
    lock.lock();
    try {
      while (healthPort < 0) {
        if (ended || nanos <= 0) {
          throw new IllegalStateException(
              who
                  + (ended
                      ? " ended before announcing its health port"
                      : " did not announce its health port within " + limit)
                  + "; its last lines:\n"
                  + String.join("\n", last(20)));
        }
        nanos = changed.awaitNanos(nanos);
      }
      return healthPort;
    } finally {
      lock.unlock();
    }
  }
}
