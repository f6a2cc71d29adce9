package dev.gollm.devstack.bench;

import java.util.Arrays;
import java.util.Collection;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Order statistics of a sample: nearest-rank percentiles (the p-th percentile is the smallest value
 * with at least p % of the sample at or below it) and the mean. An empty sample has count 0 and NaN
 * everywhere else.
 */
public record Summary(
    int count, double min, double p50, double p90, double p99, double max, double mean) {

  /** Summarizes the values (in any one unit). */
  public static Summary of(Collection<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Summarizes the values (in any one unit); the array is not changed. */
  public static Summary of(double[] values) {
    if (values.length == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return new Summary(
        sorted.length,
        sorted[0],
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        sorted[sorted.length - 1],
        sum / sorted.length);
  }

  /**
   * The nearest-rank percentile of an ascending, non-empty array: the value at rank ⌈p/100 · n⌉
   * (1-based), at least rank 1.
   */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of an empty sample");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile " + p + " is outside 0..100");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** The summary as JSON; NaN values are written as null. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("count", count);
    put(o, "min", min);
    put(o, "p50", p50);
    put(o, "p90", p90);
    put(o, "p99", p99);
    put(o, "max", max);
    put(o, "mean", mean);
    return o;
  }

  static void put(ObjectNode o, String key, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }
}
