package dev.gollm.processor.json;

/** JSON's {@code null}. */
public record JsonNull() implements JsonValue {
  public static final JsonNull INSTANCE = new JsonNull();

  @Override
  public JsonType type() {
    return JsonType.NULL;
  }

  @Override
  public String toString() {
    return "null";
  }
}
