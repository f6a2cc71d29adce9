package dev.gollm.processor.schedule;

import java.time.Duration;

/**
 * Products and quotients of durations in long arithmetic. {@link Duration#multipliedBy} and {@link
 * Duration#dividedBy} compute through {@code BigDecimal}, whose class initialisation alone costs a
 * starting processor about 30 ms of CPU (it squares large powers of ten); the processor's
 * configuration and backoffs need no more than longs.
 */
public final class Durations {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Durations() {}

  /**
   * {@code duration} × {@code factor}, exactly.
   *
   * @throws ArithmeticException when the product overflows a {@link Duration}
   */
  public static Duration times(Duration duration, long factor) {
    return Duration.ofSeconds(
        Math.multiplyExact(duration.getSeconds(), factor),
        Math.multiplyExact((long) duration.getNano(), factor));
  }

  /** {@code duration} ÷ {@code divisor}, rounded down to the nanosecond. */
  public static Duration dividedBy(Duration duration, int divisor) {
    if (divisor <= 0) {
      throw new IllegalArgumentException("divisor must be positive, not " + divisor);
    }
    long seconds = duration.getSeconds();
    // remainder < divisor < 2^31, so remainder × 10^9 + nanos stays within a long
    long remainder = Math.floorMod(seconds, divisor);
    return Duration.ofSeconds(
        Math.floorDiv(seconds, divisor),
        (remainder * NANOS_PER_SECOND + duration.getNano()) / divisor);
  }

  /**
   * How many whole {@code part}s fit in {@code whole} (both within ±292 years, the range of {@link
   * Duration#toNanos}), rounded down.
   *
   * @throws ArithmeticException when {@code part} is zero or either is outside that range
   */
  public static long quotient(Duration whole, Duration part) {
    return Math.floorDiv(whole.toNanos(), part.toNanos());
  }
}
