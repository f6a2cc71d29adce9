package dev.gollm.devstack.ollama;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Typed reads of optional JSON fields that fail with the field's path and the expected type. */
final class JsonFields {
  private JsonFields() {}

  static boolean absent(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull();
  }

  static String string(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isString()) {
      throw wrongType(path, "a string", n);
    }
    return n.stringValue();
  }

  static Boolean bool(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isBoolean()) {
      throw wrongType(path, "true or false", n);
    }
    return n.booleanValue();
  }

  static Double number(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isNumber()) {
      throw wrongType(path, "a number", n);
    }
    return n.doubleValue();
  }

  static Long integer(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue())) {
      return (long) n.doubleValue();
    }
    throw wrongType(path, "an integer", n);
  }

  static Integer int32(JsonNode parent, String field, String path) {
    Long v = integer(parent, field, path);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new InvalidRequestException(path + ": " + v + " is out of range for a 32-bit integer");
    }
    return v.intValue();
  }

  /** A string or an array of strings (both forms occur for {@code stop}). */
  static List<String> strings(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (n.isString()) {
      return List.of(n.stringValue());
    }
    if (!n.isArray()) {
      throw wrongType(path, "a string or an array of strings", n);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (!e.isString()) {
        throw wrongType(path + "[" + i + "]", "a string", e);
      }
      out.add(e.stringValue());
    }
    return out;
  }

  static JsonNode object(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isObject()) {
      throw wrongType(path, "an object", n);
    }
    return n;
  }

  static InvalidRequestException wrongType(String path, String expected, JsonNode got) {
    String shown = got.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return new InvalidRequestException(
        path
            + ": expected "
            + expected
            + ", got "
            + got.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + " "
            + shown);
  }
}
