package dev.gollm.devstack.bench;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One reported figure: its value, the ideal where one exists (a worker that adds nothing to the
 * LLM's own time), and the target it is held to, if any. Targets are reported, never enforced.
 *
 * @param id stable key in the JSON report, e.g. {@code dispatch_sse_p50_ms}
 * @param scenario the scenario it belongs to, e.g. {@code 1 dispatch (SSE)}
 * @param label what it is, for the table
 * @param value the measured value; NaN when nothing could be measured
 * @param unit the unit of value and ideal, e.g. {@code ms}
 * @param ideal the ideal value, or null when there is none (or it is zero)
 * @param target the target, or null for a figure that is only informative
 */
public record Figure(
    String id,
    String scenario,
    String label,
    double value,
    String unit,
    Double ideal,
    Target target) {

  /** What a target limits: the value itself or its ratio to the ideal. */
  public enum Basis {
    VALUE,
    RATIO
  }

  /** How a figure compares with its target. */
  public enum Verdict {
    PASS,
    MISS,
    INFO
  }

  /**
   * An upper bound: the value (or the ratio to the ideal) must be at most {@code limit}.
   *
   * @param limit the bound
   * @param basis whether it bounds the value or the ratio to the ideal
   */
  public record Target(double limit, Basis basis) {
    public static Target atMost(double limit) {
      return new Target(limit, Basis.VALUE);
    }

    public static Target ratioAtMost(double limit) {
      return new Target(limit, Basis.RATIO);
    }
  }

  public Figure {
    if (target != null && target.basis() == Basis.RATIO && (ideal == null || ideal == 0)) {
      throw new IllegalArgumentException(
          "figure " + id + ": a target on the ratio needs a non-zero ideal");
    }
  }

  /** A figure with neither ideal nor target. */
  public static Figure info(String id, String scenario, String label, double value, String unit) {
    return new Figure(id, scenario, label, value, unit, null, null);
  }

  /** value ÷ ideal, or NaN when there is no (non-zero) ideal or no value. */
  public double ratio() {
    if (ideal == null || ideal == 0 || Double.isNaN(value)) {
      return Double.NaN;
    }
    return value / ideal;
  }

  /** PASS or MISS against the target (a missing value misses), INFO without a target. */
  public Verdict verdict() {
    if (target == null) {
      return Verdict.INFO;
    }
    double measured = target.basis() == Basis.VALUE ? value : ratio();
    return !Double.isNaN(measured) && measured <= target.limit() ? Verdict.PASS : Verdict.MISS;
  }

  /** The figure as one JSON object of the report. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    o.put("scenario", scenario);
    o.put("label", label);
    Summary.put(o, "value", value);
    o.put("unit", unit);
    if (ideal == null) {
      o.putNull("ideal");
    } else {
      Summary.put(o, "ideal", ideal);
    }
    Summary.put(o, "ratio_to_ideal", ratio());
    if (target == null) {
      o.putNull("target");
    } else {
      ObjectNode t = o.putObject("target");
      t.put("at_most", target.limit());
      t.put("on", target.basis() == Basis.VALUE ? "value" : "ratio_to_ideal");
    }
    o.put("verdict", verdict().name().toLowerCase(java.util.Locale.ROOT));
    return o;
  }
}
