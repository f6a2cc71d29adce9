package dev.gollm.devstack.manager;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manager's {@code ollama_params}: only {@code model, prompt, temperature, max_tokens, top_p,
 * top_k, repeat_penalty, seed, stop} survive task creation, in that order; other keys are dropped.
 * The result is stored and served as a JSON object serialized into a string.
 */
public final class OllamaParams {
  private OllamaParams() {}

  /**
   * Filters a JSON object text down to the kept keys and re-serializes it compactly.
   *
   * @throws IllegalArgumentException when the text is not a JSON object or a kept key has the wrong
   *     type
   */
  public static String normalize(String json) {
    JsonNode parsed;
    try {
      parsed = RequestBody.firstValue(WireJson.utf8(json));
    } catch (InvalidJsonException e) {
      throw new IllegalArgumentException("ollama_params: " + e.getMessage(), e);
    }
    return normalize(parsed);
  }

  /** Filters a JSON object node down to the kept keys; see {@link #normalize(String)}. */
  public static String normalize(JsonNode params) {
    if (!params.isObject()) {
      throw new IllegalArgumentException(
          "ollama_params must be a JSON object, got " + RequestBody.describe(params));
    }
    RequestBody fields;
    try {
      fields = RequestBody.of(params);
      ObjectNode kept = WireJson.NODES.objectNode();
      putString(kept, "model", fields.string("model"));
      putString(kept, "prompt", fields.string("prompt"));
      putNumber(kept, "temperature", fields.float64("temperature"));
      putInteger(kept, "max_tokens", fields.int64("max_tokens"));
      putNumber(kept, "top_p", fields.float64("top_p"));
      putInteger(kept, "top_k", fields.int64("top_k"));
      putNumber(kept, "repeat_penalty", fields.float64("repeat_penalty"));
      putInteger(kept, "seed", fields.int64("seed"));
      JsonNode stop = fields.raw("stop");
      if (stop != null) {
        kept.set("stop", stopList(stop));
      }
      return WireJson.compact(kept);
    } catch (InvalidJsonException e) {
      throw new IllegalArgumentException("ollama_params: " + e.getMessage(), e);
    }
  }

  private static ArrayNode stopList(JsonNode stop) {
    if (!stop.isArray()) {
      throw new IllegalArgumentException(
          "ollama_params: field stop must be an array of strings, got "
              + RequestBody.describe(stop));
    }
    ArrayNode strings = WireJson.NODES.arrayNode();
    for (JsonNode item : stop) {
      if (!item.isString()) {
        throw new IllegalArgumentException(
            "ollama_params: field stop must hold only strings, got " + RequestBody.describe(item));
      }
      strings.add(item.stringValue());
    }
    return strings;
  }

  private static void putString(ObjectNode target, String key, String value) {
    if (value != null) {
      target.put(key, value);
    }
  }

  private static void putNumber(ObjectNode target, String key, Double value) {
    if (value != null) {
      target.set(key, WireJson.goFloat(value));
    }
  }

  private static void putInteger(ObjectNode target, String key, Long value) {
    if (value != null) {
      target.put(key, value);
    }
  }
}
