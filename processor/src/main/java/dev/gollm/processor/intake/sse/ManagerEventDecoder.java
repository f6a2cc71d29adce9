package dev.gollm.processor.intake.sse;

import java.time.Duration;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

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

  private final ObjectMapper mapper;

  public ManagerEventDecoder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  public ManagerEventDecoder() {
    this(JsonMapper.shared());
  }

  /** Decodes one event's data, e.g. {@code {"type":"heartbeat","data":{"uptime":15000}}}. */
  public ManagerStreamEvent decode(String json) throws ManagerEventDecodeException {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new ManagerEventDecodeException(
          "task-stream event is not valid JSON (" + e.getOriginalMessage() + "): " + quote(json),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new ManagerEventDecodeException(
          "task-stream event: expected a JSON object envelope"
              + " {\"type\":...,\"data\":{...},\"timestamp\":...}, got "
              + quote(json));
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isString() || type.stringValue().isEmpty()) {
      throw new ManagerEventDecodeException(
          "task-stream event: field type: expected a non-empty string, got "
              + describe(type)
              + " in "
              + quote(json));
    }
    String typeName = type.stringValue();
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

  private static JsonNode data(JsonNode root, String type, String json)
      throws ManagerEventDecodeException {
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
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
  private record Fields(String type, JsonNode data, String json) {
    String requiredString(String name) throws ManagerEventDecodeException {
      JsonNode node = data.get(name);
      if (node == null || !node.isString()) {
        throw wrong(name, "a string", node);
      }
      return node.stringValue();
    }

    String optionalString(String name) throws ManagerEventDecodeException {
      JsonNode node = data.get(name);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isString()) {
        throw wrong(name, "a string or null", node);
      }
      return node.stringValue();
    }

    /** A string field that may be left out (null then), but is never null nor another type. */
    String stringIfPresent(String name) throws ManagerEventDecodeException {
      return data.has(name) ? requiredString(name) : null;
    }

    /** An integer field that may be left out (null then), but is never null nor another type. */
    Integer intIfPresent(String name) throws ManagerEventDecodeException {
      JsonNode node = data.get(name);
      if (node == null) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw wrong(name, "an integer", node);
      }
      return node.intValue();
    }

    Long optionalLong(String name) throws ManagerEventDecodeException {
      JsonNode node = data.get(name);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
        throw wrong(name, "a non-negative integer (milliseconds)", node);
      }
      return node.longValue();
    }

    private ManagerEventDecodeException wrong(String name, String expected, JsonNode got) {
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

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing (field missing)";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node;
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
