package dev.gollm.processor.intake;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Intervals varied at random, so a fleet's processors do not call the manager in step. */
final class Jitter {
  private Jitter() {}

  /** {@code interval} ± {@code percent} %, uniformly, in nanoseconds. */
  static long around(Duration interval, int percent, RandomGenerator random) {
    long nanos = interval.toNanos();
    long spread = nanos / 100 * percent;
    return nanos - spread + random.nextLong(2 * spread + 1);
  }
}
