package dev.gollm.devstack.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Conversions to the units the report uses: milliseconds, seconds, MiB. */
final class Units {
  private Units() {}

  static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  /** Bytes as MiB; NaN for a negative (unknown) count. */
  static double megabytes(long bytes) {
    return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
  }

  /** Samples as a JSON array, rounded to thousandths. */
  static ArrayNode array(List<Double> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (double v : values) {
      a.add(Math.round(v * 1000) / 1000.0);
    }
    return a;
  }
}
