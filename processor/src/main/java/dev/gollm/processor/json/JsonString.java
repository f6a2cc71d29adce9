package dev.gollm.processor.json;

import java.util.Objects;

/** A JSON string, unescaped. */
public record JsonString(String value) implements JsonValue {
  public JsonString {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public JsonType type() {
    return JsonType.STRING;
  }

  @Override
  public String asString(String fallback) {
    return value;
  }

  @Override
  public int asInt(int fallback) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public long asLong(long fallback) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public double asDouble(double fallback) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public boolean asBoolean(boolean fallback) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> fallback;
    };
  }

  @Override
  public String toString() {
    return Json.text(this);
  }
}
