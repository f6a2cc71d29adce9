package dev.gollm.processor.intake.sse;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Decides after every connection how long to wait before the next one, and when push counts as up
 * or lost. Backoff is exponential from the reconnect interval, capped, with equal jitter (half
 * fixed, half random) so a fleet does not reconnect in step. Not thread-safe: one loop owns it.
 */
final class ReconnectPolicy {
  /** What the supervisor does next. */
  record Decision(Duration delay, boolean pushLost, int failuresInRow) {}

  private enum Push {
    UNKNOWN,
    UP,
    DOWN
  }

  private final long initialNanos;
  private final long maxNanos;
  private final int maxFailures;
  private final Duration healthyAfter;
  private final RandomGenerator random;
  private int failuresInRow;
  private Push push = Push.UNKNOWN;

  /**
   * @param initialDelay the first backoff step (SSE_RECONNECT_INTERVAL)
   * @param maxDelay the backoff cap
   * @param maxFailures failures in a row after which push is lost
   * @param healthyAfter a connection that delivered events and lasted this long was healthy: its
   *     end resets the failure count
   */
  ReconnectPolicy(
      Duration initialDelay,
      Duration maxDelay,
      int maxFailures,
      Duration healthyAfter,
      RandomGenerator random) {
    this.initialNanos = initialDelay.toNanos();
    this.maxNanos = maxDelay.toNanos();
    this.maxFailures = maxFailures;
    this.healthyAfter = Objects.requireNonNull(healthyAfter, "healthyAfter");
    this.random = Objects.requireNonNull(random, "random");
    if (initialNanos <= 0 || maxNanos < initialNanos || maxFailures < 1) {
      throw new IllegalArgumentException(
          "expected 0 < initialDelay <= maxDelay and maxFailures >= 1, got "
              + initialDelay
              + ", "
              + maxDelay
              + ", "
              + maxFailures);
    }
  }

  /** A stream connected; true when push has just come up and the intake should hear so. */
  boolean connected() {
    if (push == Push.UP) {
      return false;
    }
    push = Push.UP;
    return true;
  }

  /** A connection ended: how long to wait, and whether push has just been lost. */
  Decision ended(StreamEnd end) {
    if (end.reason() == StreamEnd.Reason.CLOSED || wasHealthy(end)) {
      // Planned ends and breaks of a good stream reconnect at once; if that attempt fails, the
      // backoff starts from its first step.
      failuresInRow = 0;
      return new Decision(Duration.ZERO, false, 0);
    }
    if (end.isRoutine()) {
      // A planned end right after connecting (a server with a tiny maxDuration, say) is no
      // failure either, but waits one first step so it cannot become a hot reconnect loop.
      return new Decision(backoff(1), false, failuresInRow);
    }
    failuresInRow++;
    boolean lost = failuresInRow >= maxFailures && push != Push.DOWN;
    if (lost) {
      push = Push.DOWN;
    }
    return new Decision(backoff(failuresInRow), lost, failuresInRow);
  }

  boolean isPushUp() {
    return push == Push.UP;
  }

  /** The delay before attempt {@code failures + 1}: in [step/2, step], step = min(cap, 2^(n-1)). */
  Duration backoff(int failures) {
    long step = initialNanos;
    for (int i = 1; i < failures && step < maxNanos; i++) {
      step = step > maxNanos / 2 ? maxNanos : step * 2;
    }
    long half = step / 2;
    return Duration.ofNanos(step - half + random.nextLong(half + 1));
  }

  private boolean wasHealthy(StreamEnd end) {
    return end.connected()
        && (end.events() > 0 || end.isRoutine())
        && end.connectedFor().compareTo(healthyAfter) >= 0;
  }
}
