package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.millis;

import dev.gollm.devstack.ollama.ModelProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the scenarios of a run found, collected in the order they ran: figures for the table,
 * details per scenario for the JSON, and panels for the chart.
 */
final class Results {
  /** Orders names that start with a scenario number by that number (10 after 9), then by name. */
  static final Comparator<String> BY_NUMBER =
      Comparator.comparingInt(Results::leadingNumber).thenComparing(Comparator.naturalOrder());

  private final List<Figure> figures = new ArrayList<>();
  private final ObjectNode scenarios = JsonNodeFactory.instance.objectNode();
  private final List<Chart.Panel> panels = new ArrayList<>();

  void add(Figure figure) {
    figures.add(figure);
  }

  void addAll(List<Figure> more) {
    figures.addAll(more);
  }

  void add(Chart.Panel panel) {
    panels.add(panel);
  }

  /** A new details object under {@code key} (e.g. {@code 3_throughput}) of the JSON's scenarios. */
  ObjectNode details(String key) {
    return scenarios.putObject(key);
  }

  /**
   * A new details object that starts with the scenario's setup: the processor settings, the
   * simulator's slots and model, how many processors ran and how many warm-up tasks they had.
   */
  ObjectNode details(
      String key,
      BenchStack stack,
      Map<String, String> settings,
      ModelProfile model,
      int slots,
      int warmupTasks) {
    ObjectNode d = details(key);
    ObjectNode env = d.putObject("processor_settings");
    new TreeMap<>(settings).forEach(env::put);
    ObjectNode sim = d.putObject("simulator");
    sim.put("slots", slots);
    sim.put("time_to_first_token_ms", millis(model.timeToFirstToken()));
    sim.put("tokens_per_second", model.tokensPerSecond());
    sim.put("tokens", model.answerLength().min());
    sim.put("load_ms", millis(model.loadTime()));
    d.put("processors", stack.processors().size());
    d.put("warmup_tasks", warmupTasks);
    return d;
  }

  /** The figures in scenario order (in the order they were added within a scenario). */
  List<Figure> figures() {
    return figures.stream().sorted(Comparator.comparing(Figure::scenario, BY_NUMBER)).toList();
  }

  /** The details per scenario, in the order the scenarios ran. */
  ObjectNode scenarios() {
    return scenarios;
  }

  /** The chart panels, ordered by title (which starts with the scenario number). */
  List<Chart.Panel> panels() {
    return panels.stream().sorted(Comparator.comparing(Chart.Panel::title, BY_NUMBER)).toList();
  }

  /** The number a name starts with, e.g. 10 of {@code 10 first task}; 0 when there is none. */
  private static int leadingNumber(String name) {
    int end = 0;
    while (end < name.length() && end < 9 && Character.isDigit(name.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(name.substring(0, end));
  }
}
