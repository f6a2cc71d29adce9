package dev.gollm.processor.intake.sse;

import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonMissing;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonNumber;
import dev.gollm.processor.json.JsonObject;
import dev.gollm.processor.json.JsonString;
import dev.gollm.processor.json.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * Decodes the data of one task-stream event into a {@link ManagerStreamEvent}. Unknown types are
 * tolerated ({@link ManagerStreamEvent.Unknown}); a malformed envelope or a known type with a
 * wrongly shaped payload is a {@link ManagerEventDecodeException}. Thread-safe.
 */
public final class ManagerEventDecoder {
  static final String HEARTBEAT = "heartbeat";
  static final String TASK_AVAILABLE = "task_available";
  static final String ERROR = "error";
  private static final int QUOTED_INPUT_CHARS = 200;

  /** Decodes one event's data, e.g. {@code {"type":"heartbeat","data":{"uptime":15000}}}. */
  public ManagerStreamEvent decode(String json) throws ManagerEventDecodeException {
    JsonValue root;
    try {
      root = Json.parse(json);
    } catch (JsonException e) {
      throw new ManagerEventDecodeException(
          "task-stream event is not valid JSON (" + e.reason() + "): " + quote(json), e);
    }
    if (!(root instanceof JsonObject)) {
      throw new ManagerEventDecodeException(
          "task-stream event: expected a JSON object envelope"
              + " {\"type\":...,\"data\":{...},\"timestamp\":...}, got "
              + quote(json));
    }
    JsonValue type = root.get("type");
    if (!(type instanceof JsonString(String typeName)) || typeName.isEmpty()) {
      throw new ManagerEventDecodeException(
          "task-stream event: field type: expected a non-empty string, got "
              + describe(type)
              + " in "
              + quote(json));
    }
    return switch (typeName) {
      case HEARTBEAT -> heartbeat(new Fields(typeName, data(root, typeName, json), json));
      case TASK_AVAILABLE -> taskAvailable(new Fields(typeName, data(root, typeName, json), json));
      case ERROR -> streamError(new Fields(typeName, data(root, typeName, json), json));
      default -> new ManagerStreamEvent.Unknown(typeName);
    };
  }

  private static ManagerStreamEvent heartbeat(Fields f) throws ManagerEventDecodeException {
    // The greeting carries {"message":"Connected"}, the periodic keepalive {"uptime":ms}.
    Long uptime = f.optionalLong("uptime");
    if (uptime == null) {
      return new ManagerStreamEvent.Connected();
    }
    return new ManagerStreamEvent.Heartbeat(Duration.ofMillis(uptime));
  }

  /**
   * A wake-up only: the processor uses none of its fields (claim decides the task), so each may be
   * missing; one that is present must still have its documented type.
   */
  private static ManagerStreamEvent taskAvailable(Fields f) throws ManagerEventDecodeException {
    return new ManagerStreamEvent.TaskAvailable(
        f.stringIfPresent("taskId"),
        f.intIfPresent("priority"),
        f.stringIfPresent("productData"),
        f.optionalString("ollamaParams"));
  }

  private static ManagerStreamEvent streamError(Fields f) throws ManagerEventDecodeException {
    Long maxDuration = f.optionalLong("maxDuration");
    return new ManagerStreamEvent.StreamError(
        f.requiredString("error"), maxDuration == null ? null : Duration.ofMillis(maxDuration));
  }

  private static JsonValue data(JsonValue root, String type, String json)
      throws ManagerEventDecodeException {
    JsonValue data = root.get("data");
    if (!(data instanceof JsonObject)) {
      throw new ManagerEventDecodeException(
          "task-stream "
              + type
              + " event: field data: expected an object, got "
              + describe(data)
              + " in "
              + quote(json));
    }
    return data;
  }

  /** The payload of one known event type, read with errors that name the field. */
  private record Fields(String type, JsonValue data, String json) {
    String requiredString(String name) throws ManagerEventDecodeException {
      JsonValue node = data.get(name);
      if (!(node instanceof JsonString(String value))) {
        throw wrong(name, "a string", node);
      }
      return value;
    }

    String optionalString(String name) throws ManagerEventDecodeException {
      JsonValue node = data.get(name);
      if (node == null || node instanceof JsonNull) {
        return null;
      }
      if (!(node instanceof JsonString(String value))) {
        throw wrong(name, "a string or null", node);
      }
      return value;
    }

    /** A string field that may be left out (null then), but is never null nor another type. */
    String stringIfPresent(String name) throws ManagerEventDecodeException {
      return data.has(name) ? requiredString(name) : null;
    }

    /** An integer field that may be left out (null then), but is never null nor another type. */
    Integer intIfPresent(String name) throws ManagerEventDecodeException {
      JsonValue node = data.get(name);
      if (node == null) {
        return null;
      }
      if (!(node instanceof JsonNumber n) || !n.isIntegral() || !n.fitsInt()) {
        throw wrong(name, "an integer", node);
      }
      return n.intValue();
    }

    Long optionalLong(String name) throws ManagerEventDecodeException {
      JsonValue node = data.get(name);
      if (node == null || node instanceof JsonNull) {
        return null;
      }
      if (!(node instanceof JsonNumber n)
          || !n.isIntegral()
          || !n.fitsLong()
          || n.longValue() < 0) {
        throw wrong(name, "a non-negative integer (milliseconds)", node);
      }
      return n.longValue();
    }

    private ManagerEventDecodeException wrong(String name, String expected, JsonValue got) {
      return new ManagerEventDecodeException(
          "task-stream "
              + type
              + " event: field data."
              + name
              + ": expected "
              + expected
              + ", got "
              + describe(got)
              + " in "
              + quote(json));
    }
  }

  private static String describe(JsonValue node) {
    if (node == null || node instanceof JsonMissing) {
      return "nothing (field missing)";
    }
    return node.type().name().toLowerCase(Locale.ROOT) + " " + node;
  }

  private static String quote(String json) {
    if (json == null) {
      return "null";
    }
    return json.length() <= QUOTED_INPUT_CHARS
        ? "'" + json + "'"
        : "'" + json.substring(0, QUOTED_INPUT_CHARS) + "...' (" + json.length() + " chars)";
  }
}
