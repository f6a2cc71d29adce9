package dev.gollm.processor.json;

import java.util.List;

/** A JSON array. */
public record JsonArray(List<JsonValue> elements) implements JsonValue {
  public JsonArray {
    elements = List.copyOf(elements);
  }

  @Override
  public JsonType type() {
    return JsonType.ARRAY;
  }

  @Override
  public String asString() {
    return toString();
  }

  @Override
  public String toString() {
    return Json.text(this);
  }
}
