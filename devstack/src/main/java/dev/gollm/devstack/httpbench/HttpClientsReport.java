package dev.gollm.devstack.httpbench;

import dev.gollm.devstack.bench.MachineInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The results of {@code devstack http-clients}: each client's runs (one per round) and, per figure,
 * their median; as a Markdown table (a row per figure, a column per client) and as JSON.
 *
 * @param timestamp when the run started, e.g. {@code 20261130T071500Z}
 * @param machine the machine, with the load average at the start
 * @param loadAverageAtEnd the load average when the last child ended
 * @param setup what was run: requests, warm-up, concurrency, idle, rounds, JVM flags
 * @param runs each client's runs, in the order they are compared
 */
record HttpClientsReport(
    String timestamp,
    MachineInfo machine,
    String loadAverageAtEnd,
    ObjectNode setup,
    Map<ClientKind, List<ClientRun>> runs) {

  HttpClientsReport {
    runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
  }

  /** The median over the rounds of one figure of one client (NaN when it was not measured). */
  double median(ClientKind client, String key) {
    return median(runs.get(client).stream().mapToDouble(r -> r.figure(key)).toArray());
  }

  /** The median of the values: the middle one, or the mean of the middle two; NaN when empty. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The table: a row per figure, a column per client, each cell the median of the rounds. */
  String table() {
    StringBuilder t = new StringBuilder("| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (ClientKind k : runs.keySet()) {
      t.append(' ').append(k.label()).append(" |");
      rule.append("---:|");
    }
    t.append('\n').append(rule).append('\n');
    for (Figures.Spec spec : Figures.ALL) {
      t.append("| ").append(spec.label()).append(" |");
      for (ClientKind k : runs.keySet()) {
        t.append(' ').append(format(median(k, spec.key()), spec.decimals())).append(" |");
      }
      t.append('\n');
    }
    return t.toString();
  }

  static String format(double value, int decimals) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  String toMarkdown(String jsonFile) {
    int rounds = runs.values().stream().mapToInt(List::size).max().orElse(0);
    return "# HTTP clients compared, "
        + timestamp
        + "\n\n"
        + "Machine: "
        + machine.describe()
        + "; load average "
        + machine.loadAverage()
        + " at the start, "
        + loadAverageAtEnd
        + " at the end.\n\n"
        + "Each cell is the median of "
        + rounds
        + " round(s), one child JVM per client and round (the processor's JVM flags); every"
        + " round's figures are in "
        + jsonFile
        + ". See docs/benchmarks.md, \"HTTP clients compared\".\n\n"
        + table();
  }

  String toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("timestamp", timestamp);
    root.set("machine", machine.toJson());
    root.put("load_average_at_end", loadAverageAtEnd);
    root.set("setup", setup);
    ObjectNode clients = root.putObject("clients");
    for (Map.Entry<ClientKind, List<ClientRun>> e : runs.entrySet()) {
      ObjectNode c = clients.putObject(e.getKey().id());
      c.put("label", e.getKey().label());
      ObjectNode medians = c.putObject("median");
      for (Figures.Spec spec : Figures.ALL) {
        put(medians, spec.key(), median(e.getKey(), spec.key()));
      }
      ArrayNode rounds = c.putArray("rounds");
      for (ClientRun run : e.getValue()) {
        ObjectNode r = rounds.addObject();
        ObjectNode figures = r.putObject("figures");
        for (Figures.Spec spec : Figures.ALL) {
          put(figures, spec.key(), run.figure(spec.key()));
        }
        ObjectNode details = r.putObject("details");
        run.details().keySet().stream().sorted().forEach(k -> details.put(k, run.details().get(k)));
      }
    }
    return root.toPrettyString();
  }

  private static void put(ObjectNode o, String key, double value) {
    if (Double.isNaN(value)) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }
}
