package dev.gollm.processor.config;

import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's {@code time.ParseDuration} syntax: a sequence of decimal numbers, each with an
 * optional fraction and a unit (ns, us, µs, ms, s, m, h), such as 300ms, 1.5s, 1m30s or 1h; "0"
 * alone needs no unit. Ported from Go so values written for the original processor mean the same.
 */
public final class GoDuration {
  static final String EXPECTED = "a duration with a unit, such as 300ms, 1.5s, 5s, 1m30s or 1h";

  private static final long NANOS_PER_MICRO = 1_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
  private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", NANOS_PER_MICRO,
          "\u00b5s", NANOS_PER_MICRO, // micro sign
          "\u03bcs", NANOS_PER_MICRO, // Greek small letter mu
          "ms", NANOS_PER_MILLI,
          "s", NANOS_PER_SECOND,
          "m", NANOS_PER_MINUTE,
          "h", NANOS_PER_HOUR);

  private GoDuration() {}

  /** Parses Go duration syntax; the sign is kept, so callers decide whether negatives are valid. */
  public static Duration parse(String text) throws InvalidValueException {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new InvalidValueException(EXPECTED);
    }
    long total = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && !isDigit(c)) {
        throw new InvalidValueException(EXPECTED);
      }
      // The integer part.
      int start = i;
      long whole = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        whole = checkedDecimal(whole, s.charAt(i));
        i++;
      }
      boolean hasWhole = i > start;
      // The fraction: digits beyond long precision are dropped, as Go does.
      long fraction = 0;
      double scale = 1;
      boolean hasFraction = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fractionStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            if (fraction > (Long.MAX_VALUE - 9) / 10) {
              overflow = true;
            } else {
              fraction = fraction * 10 + (s.charAt(i) - '0');
              scale *= 10;
            }
          }
          i++;
        }
        hasFraction = i > fractionStart;
      }
      if (!hasWhole && !hasFraction) {
        throw new InvalidValueException(EXPECTED);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      Long unit = UNITS.get(s.substring(unitStart, i));
      if (unit == null) {
        throw new InvalidValueException(EXPECTED);
      }
      try {
        long value = Math.multiplyExact(whole, unit);
        if (fraction > 0) {
          value = Math.addExact(value, (long) (fraction * (unit / scale)));
        }
        total = Math.addExact(total, value);
      } catch (ArithmeticException e) {
        throw new InvalidValueException("a duration of at most about 292 years");
      }
    }
    return Duration.ofNanos(negative ? -total : total);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long checkedDecimal(long soFar, char digit) throws InvalidValueException {
    try {
      return Math.addExact(Math.multiplyExact(soFar, 10), digit - '0');
    } catch (ArithmeticException e) {
      throw new InvalidValueException("a duration of at most about 292 years");
    }
  }

  /**
   * Formats a duration compactly in the same syntax, omitting zero parts: 90s gives "1m30s", one
   * hour gives "1h", 1.5 seconds "1.5s", 300 milliseconds "300ms". {@link #parse} reads it back
   * exactly.
   */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (nanos < 0) {
      out.append('-');
      nanos = -nanos;
    }
    if (nanos < NANOS_PER_SECOND) {
      if (nanos % NANOS_PER_MILLI == 0) {
        return out.append(nanos / NANOS_PER_MILLI).append("ms").toString();
      }
      if (nanos % NANOS_PER_MICRO == 0) {
        return out.append(nanos / NANOS_PER_MICRO).append("us").toString();
      }
      return out.append(nanos).append("ns").toString();
    }
    long hours = nanos / NANOS_PER_HOUR;
    long minutes = nanos % NANOS_PER_HOUR / NANOS_PER_MINUTE;
    long secondsNanos = nanos % NANOS_PER_MINUTE;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (secondsNanos > 0) {
      out.append(secondsNanos / NANOS_PER_SECOND);
      long fraction = secondsNanos % NANOS_PER_SECOND;
      if (fraction > 0) {
        String digits = String.format("%09d", fraction).replaceFirst("0+$", "");
        out.append('.').append(digits);
      }
      out.append('s');
    }
    return out.toString();
  }
}
