package dev.gollm.devstack.httpbench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one child JVM reported: every figure of {@link Figures#ALL} (NaN when not measured, e.g.
 * idle with {@code --idle 0}) and its details.
 */
record ClientRun(Map<String, Double> figures, Map<String, String> details) {
  ClientRun {
    figures = Map.copyOf(figures);
    details = Map.copyOf(details);
  }

  /**
   * Reads a child's output lines; other lines (a library's log) are ignored.
   *
   * @throws HttpBenchException with the child's message when it reported an error, or naming the
   *     first figure it did not report or reported malformed
   */
  static ClientRun parse(List<String> lines) {
    Map<String, Double> figures = new LinkedHashMap<>();
    Map<String, String> details = new LinkedHashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ", 3);
      if (parts[0].equals(ClientRunner.ERROR)) {
        throw new HttpBenchException(line.substring(ClientRunner.ERROR.length()).strip());
      }
      if (parts.length < 3) {
        continue;
      }
      if (parts[0].equals(ClientRunner.FIGURE)) {
        try {
          figures.put(parts[1], Double.parseDouble(parts[2]));
        } catch (NumberFormatException e) {
          throw new HttpBenchException(
              "figure " + parts[1] + " is '" + parts[2] + "', not a number");
        }
      } else if (parts[0].equals(ClientRunner.DETAIL)) {
        details.put(parts[1], parts[2]);
      }
    }
    for (Figures.Spec spec : Figures.ALL) {
      if (!figures.containsKey(spec.key())) {
        throw new HttpBenchException("the run reported no figure " + spec.key());
      }
    }
    return new ClientRun(figures, details);
  }

  double figure(String key) {
    Double v = figures.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no figure " + key);
    }
    return v;
  }
}
