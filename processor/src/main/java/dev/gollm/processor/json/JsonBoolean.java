package dev.gollm.processor.json;

/** {@code true} or {@code false}. */
public record JsonBoolean(boolean value) implements JsonValue {
  public static final JsonBoolean TRUE = new JsonBoolean(true);
  public static final JsonBoolean FALSE = new JsonBoolean(false);

  @Override
  public JsonType type() {
    return JsonType.BOOLEAN;
  }

  @Override
  public String asString(String fallback) {
    return String.valueOf(value);
  }

  @Override
  public boolean asBoolean(boolean fallback) {
    return value;
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
