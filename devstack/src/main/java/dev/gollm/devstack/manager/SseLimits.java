package dev.gollm.devstack.manager;

/**
 * How task-stream query parameters become intervals: a value that is not an integer takes the
 * default, anything else is clamped into the range. The manager's ranges are heartbeat 5000..20000
 * ms (default 15000) and maxDuration 60000..7200000 ms (default 3600000); the relaxed ranges start
 * at 10 ms so tests can watch heartbeats and timeouts quickly.
 */
record SseLimits(
    long heartbeatMin,
    long heartbeatMax,
    long heartbeatDefault,
    long maxDurationMin,
    long maxDurationMax,
    long maxDurationDefault) {
  static final SseLimits MANAGER =
      new SseLimits(5_000, 20_000, 15_000, 60_000, 7_200_000, 3_600_000);
  static final SseLimits RELAXED = new SseLimits(10, 20_000, 15_000, 10, 7_200_000, 3_600_000);

  static SseLimits of(boolean relaxed) {
    return relaxed ? RELAXED : MANAGER;
  }

  long heartbeatMs(String raw) {
    return clamp(parse(raw, heartbeatDefault), heartbeatMin, heartbeatMax);
  }

  long maxDurationMs(String raw) {
    return clamp(parse(raw, maxDurationDefault), maxDurationMin, maxDurationMax);
  }

  /** Go's {@code strconv.Atoi}: optional sign and decimal digits, nothing else. */
  private static long parse(String raw, long fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static long clamp(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }
}
