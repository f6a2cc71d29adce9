package dev.gollm.devstack.dev;

import dev.gollm.devstack.http.HttpIo;
import dev.gollm.devstack.manager.NewTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The tasks {@code devstack dev} submits: the bundled samples, or N synthetic ones. */
final class DevTasks {
  /** The bundled samples: one JSON object per line, as {@code devstack submit --file} takes. */
  static final String SAMPLES_RESOURCE = "/samples/tasks.jsonl";

  private static final List<String> ITEMS =
      List.of(
          "ceramic mug",
          "wool blanket",
          "desk lamp",
          "water bottle",
          "city backpack",
          "coffee grinder",
          "cast iron skillet",
          "linen shirt");
  private static final List<String> DETAILS =
      List.of(
          "handmade, matte glaze",
          "dishwasher safe, 350 ml",
          "USB-C, three brightness levels",
          "recycled materials, two colours",
          "lifetime warranty",
          "gift box included");

  private DevTasks() {}

  /** The bundled sample tasks, in file order. */
  static List<NewTask> samples() {
    try (InputStream in = DevTasks.class.getResourceAsStream(SAMPLES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SAMPLES_RESOURCE + " is missing from the devstack jar");
      }
      return parseSamples(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SAMPLES_RESOURCE, e);
    }
  }

  /**
   * Parses JSON-lines samples: {@code product_data} (required), {@code priority}, {@code
   * ollama_params} (an object), {@code max_retries}; blank lines are skipped.
   */
  static List<NewTask> parseSamples(String text) {
    List<NewTask> tasks = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = SAMPLES_RESOURCE + ":" + (i + 1) + ": ";
      JsonNode node;
      try {
        node = HttpIo.JSON.readTree(line);
      } catch (JacksonException e) {
        throw new IllegalArgumentException(where + "not valid JSON: " + e.getOriginalMessage());
      }
      JsonNode data = node.get("product_data");
      if (data == null || !data.isString() || data.stringValue().isBlank()) {
        throw new IllegalArgumentException(where + "product_data must be a non-empty string");
      }
      NewTask task = NewTask.of(data.stringValue());
      JsonNode priority = node.get("priority");
      if (priority != null) {
        if (!priority.isInt()) {
          throw new IllegalArgumentException(where + "priority must be a whole number");
        }
        task = task.withPriority(priority.intValue());
      }
      JsonNode params = node.get("ollama_params");
      if (params != null) {
        if (!params.isObject()) {
          throw new IllegalArgumentException(where + "ollama_params must be a JSON object");
        }
        task = task.withOllamaParams(HttpIo.JSON.writeValueAsString(params));
      }
      JsonNode retries = node.get("max_retries");
      if (retries != null) {
        if (!retries.isInt() || retries.intValue() < 0) {
          throw new IllegalArgumentException(where + "max_retries must be a whole number >= 0");
        }
        task = task.withMaxRetries(retries.intValue());
      }
      tasks.add(task);
    }
    return tasks;
  }

  /**
   * {@code count} synthetic product descriptions, the same for the same count: varied items,
   * priorities 0..2 and every fourth with a temperature of 0.1 to 0.9.
   */
  static List<NewTask> synthetic(int count) {
    List<NewTask> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String text =
          "Synthetic task "
              + (i + 1)
              + " of "
              + count
              + ": "
              + ITEMS.get(i % ITEMS.size())
              + ", "
              + DETAILS.get(i % DETAILS.size());
      NewTask task = NewTask.of(text).withPriority(i % 3);
      if (i % 4 == 0) {
        task = task.withOllamaParams("{\"temperature\":0." + (i % 9 + 1) + "}");
      }
      tasks.add(task);
    }
    return tasks;
  }
}
