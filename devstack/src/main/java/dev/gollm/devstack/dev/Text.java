package dev.gollm.devstack.dev;

import java.time.Duration;
import java.util.Locale;

/** Small text helpers for {@code devstack dev}'s output. */
final class Text {
  private Text() {}

  /**
   * {@code text} on one line (runs of whitespace become one space), cut to at most {@code max}
   * characters with an ellipsis; "(empty)" for null or blank text.
   */
  static String abbreviate(String text, int max) {
    if (text == null || text.isBlank()) {
      return "(empty)";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    if (line.codePointCount(0, line.length()) <= max) {
      return line;
    }
    int end = line.offsetByCodePoints(0, max - 1);
    return line.substring(0, end).stripTrailing() + "…";
  }

  /**
   * Milliseconds below a second ("80 ms"), seconds with one decimal below a minute ("3.2 s"), else
   * minutes and seconds ("2 min 05 s").
   */
  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
  }

  /** A rate with one decimal ("4.2"), or two below 1 ("0.35"). */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond < 1 ? "%.2f" : "%.1f", perSecond);
  }
}
