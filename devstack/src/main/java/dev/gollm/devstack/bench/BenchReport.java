package dev.gollm.devstack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything one run measured, and its three renderings: JSON (every figure and the raw details), a
 * Markdown table, and the chart.
 *
 * @param timestamp when the run started, as used in the file names
 * @param mode {@code full} or {@code quick}
 * @param elapsedSeconds how long the run took
 * @param machineAtStart the machine and its load average when the run started
 * @param loadAverageAtEnd the load average when it ended
 * @param figures the figures, in scenario order
 * @param setup how the run was set up: plan, processor jar and JVM flags, processor log counts
 * @param scenarios per scenario: configuration, summaries and raw samples
 * @param chart latency distributions and worker utilization
 */
public record BenchReport(
    String timestamp,
    String mode,
    double elapsedSeconds,
    MachineInfo machineAtStart,
    String loadAverageAtEnd,
    List<Figure> figures,
    ObjectNode setup,
    ObjectNode scenarios,
    Chart chart) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The whole report as pretty-printed JSON. */
  public String toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("timestamp", timestamp);
    root.put("mode", mode);
    root.put("elapsed_s", elapsedSeconds);
    ObjectNode machine = machineAtStart.toJson();
    machine.put("load_average_at_end", loadAverageAtEnd);
    root.set("machine", machine);
    var list = root.putArray("figures");
    figures.forEach(f -> list.add(f.toJson()));
    root.set("setup", setup);
    root.set("scenarios", scenarios);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** A Markdown document: heading, machine, the table, and where the other files are. */
  public String toMarkdown(String jsonName, String svgName) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark ").append(timestamp).append(" (").append(mode).append(")\n\n");
    md.append("- Machine: ").append(machineAtStart.describe()).append('\n');
    md.append("- Load average (1, 5, 15 min): ")
        .append(machineAtStart.loadAverage())
        .append(" at start, ")
        .append(loadAverageAtEnd)
        .append(" at end\n");
    md.append(String.format(Locale.ROOT, "- Duration: %.0f s%n", elapsedSeconds));
    md.append("- Every figure and the raw samples: `").append(jsonName).append("`\n");
    md.append("- Chart: `").append(svgName).append("`\n\n");
    md.append(table(figures));
    return md.toString();
  }

  /** The figures as a Markdown table, grouped by scenario. */
  public static String table(List<Figure> figures) {
    Map<String, List<Figure>> byScenario = new LinkedHashMap<>();
    figures.forEach(f -> byScenario.computeIfAbsent(f.scenario(), k -> new ArrayList<>()).add(f));
    StringBuilder md = new StringBuilder();
    md.append("| Scenario | Figure | Value | Ideal | × ideal | Target | Result |\n");
    md.append("|---|---|---:|---:|---:|---|---|\n");
    for (var entry : byScenario.entrySet()) {
      for (Figure f : entry.getValue()) {
        md.append("| ")
            .append(entry.getKey())
            .append(" | ")
            .append(f.label())
            .append(" | ")
            .append(withUnit(f.value(), f.unit()))
            .append(" | ")
            .append(f.ideal() == null ? "" : withUnit(f.ideal(), f.unit()))
            .append(" | ")
            .append(Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.3f", f.ratio()))
            .append(" | ")
            .append(target(f))
            .append(" | ")
            .append(
                switch (f.verdict()) {
                  case PASS -> "✓ pass";
                  case MISS -> "✗ miss";
                  case INFO -> "";
                })
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String target(Figure f) {
    if (f.target() == null) {
      return "";
    }
    return switch (f.target().basis()) {
      case VALUE -> "≤ " + withUnit(f.target().limit(), f.unit());
      case RATIO -> "≤ " + number(f.target().limit()) + " × ideal";
    };
  }

  static String withUnit(double value, String unit) {
    String n = number(value);
    return unit.isEmpty() ? n : n + " " + unit;
  }

  /** Three significant digits or so; whole numbers without decimals; NaN as "n/a". */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a == Math.rint(a) && a < 1e9) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
