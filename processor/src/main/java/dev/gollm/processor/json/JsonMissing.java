package dev.gollm.processor.json;

/**
 * No value: what {@link JsonValue#path} finds where there is no member, and what an empty document
 * parses to. Its JSON text is empty.
 */
public record JsonMissing() implements JsonValue {
  public static final JsonMissing INSTANCE = new JsonMissing();

  @Override
  public JsonType type() {
    return JsonType.MISSING;
  }

  @Override
  public String toString() {
    return "";
  }
}
