package dev.gollm.processor.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON object; its members keep document order (a repeated name keeps its last value). */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {
  public JsonObject {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  @Override
  public JsonType type() {
    return JsonType.OBJECT;
  }

  @Override
  public JsonValue get(String name) {
    return members.get(name);
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
