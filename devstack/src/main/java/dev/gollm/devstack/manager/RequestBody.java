package dev.gollm.devstack.manager;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * A JSON request body read with the rules of Go's {@code encoding/json} decoding into a struct:
 * only the first JSON value counts, unknown keys are ignored, known keys match case-insensitively
 * (the last match wins), JSON {@code null} leaves a field unset, and a known field of the wrong
 * type fails the whole body. Handlers read every field they know before validating any, so a type
 * error always wins over a missing field, as in Go.
 */
final class RequestBody {
  private final JsonNode object;

  private RequestBody(JsonNode object) {
    this.object = object;
  }

  /** Parses the first JSON value of {@code body}; it must be an object or {@code null}. */
  static RequestBody parse(byte[] body) throws InvalidJsonException {
    return new RequestBody(requireObject(firstValue(body)));
  }

  /** Parses the first JSON value of {@code body}, of any type. */
  static JsonNode firstValue(byte[] body) throws InvalidJsonException {
    try (JsonParser parser = WireJson.MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidJsonException("the body is empty; expected a JSON object");
      }
      JsonNode value = parser.readValueAsTree();
      return value == null ? WireJson.NODES.nullNode() : value;
    } catch (JacksonException e) {
      throw new InvalidJsonException("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static RequestBody of(JsonNode value) throws InvalidJsonException {
    return new RequestBody(requireObject(value));
  }

  private static JsonNode requireObject(JsonNode value) throws InvalidJsonException {
    if (value.isNull()) {
      return WireJson.NODES.objectNode();
    }
    if (!value.isObject()) {
      throw new InvalidJsonException("expected a JSON object, got " + describe(value));
    }
    return value;
  }

  /** The value under {@code key} (case-insensitive, last match wins), or null when absent. */
  JsonNode raw(String key) {
    JsonNode found = null;
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      if (entry.getKey().equalsIgnoreCase(key)) {
        found = entry.getValue();
      }
    }
    return found == null || found.isNull() ? null : found;
  }

  String string(String key) throws InvalidJsonException {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw typeError(key, "a string", value);
    }
    return value.stringValue();
  }

  /** A Go {@code int}/{@code int64}: an integer literal within 64 bits. */
  Long int64(String key) throws InvalidJsonException {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw typeError(key, "an integer", value);
    }
    return value.longValue();
  }

  Double float64(String key) throws InvalidJsonException {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw typeError(key, "a number", value);
    }
    return value.doubleValue();
  }

  Boolean bool(String key) throws InvalidJsonException {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw typeError(key, "true or false", value);
    }
    return value.booleanValue();
  }

  private static InvalidJsonException typeError(String key, String expected, JsonNode value) {
    return new InvalidJsonException(
        "field " + key + " must be " + expected + ", got " + describe(value));
  }

  /** A JSON value as an error message shows it: {@code the string "hot"}, {@code an array}. */
  static String describe(JsonNode value) {
    if (value.isString()) {
      String text = value.stringValue();
      return "the string "
          + WireJson.compact(
              WireJson.NODES.stringNode(text.length() <= 40 ? text : text.substring(0, 40) + "…"));
    }
    if (value.isNumber()) {
      return "the number " + value;
    }
    if (value.isBoolean() || value.isNull()) {
      return value.toString();
    }
    return value.isArray() ? "an array" : "an object";
  }
}
