package dev.gollm.processor.json;

import java.util.List;
import java.util.Map;

/**
 * One parsed JSON value, immutable. Reading is tolerant the way the processor reads other servers'
 * answers: {@link #get} and {@link #path} look a member up on any value (nothing is found on a
 * non-object), and the {@code as...} methods convert what converts sensibly and return the fallback
 * otherwise. {@link #toString()} is the value's compact JSON text.
 */
public sealed interface JsonValue
    permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull, JsonMissing {

  /** The kind of value, e.g. for messages that say what was found instead of what was expected. */
  JsonType type();

  /** The member {@code name} of an object; null when this is no object or has no such member. */
  default JsonValue get(String name) {
    return null;
  }

  /** Like {@link #get}, but {@link JsonMissing} instead of null, so lookups chain. */
  default JsonValue path(String name) {
    JsonValue member = get(name);
    return member == null ? JsonMissing.INSTANCE : member;
  }

  /** Whether this is an object with a member {@code name} (which may be null). */
  default boolean has(String name) {
    return get(name) != null;
  }

  /** Whether this is an object with a member {@code name} that is not null. */
  default boolean hasNonNull(String name) {
    JsonValue member = get(name);
    return member != null && !(member instanceof JsonNull);
  }

  /** The members of an object, in document order; empty for any other value. */
  default Map<String, JsonValue> members() {
    return Map.of();
  }

  /** The elements of an array; empty for any other value. */
  default List<JsonValue> elements() {
    return List.of();
  }

  /** A string's text, a number's or a boolean's JSON text; the fallback for anything else. */
  default String asString(String fallback) {
    return fallback;
  }

  /** As {@link #asString(String)} with an empty fallback, but an object or an array as its JSON. */
  default String asString() {
    return asString("");
  }

  /**
   * An integer number that fits, a fractional one truncated, a string holding an int; otherwise the
   * fallback.
   */
  default int asInt(int fallback) {
    return fallback;
  }

  /** As {@link #asInt}, for longs. */
  default long asLong(long fallback) {
    return fallback;
  }

  /** A number, or a string holding one; otherwise the fallback. */
  default double asDouble(double fallback) {
    return fallback;
  }

  /**
   * A boolean, an integer number (true unless 0), the string {@code "true"} or {@code "false"};
   * otherwise the fallback.
   */
  default boolean asBoolean(boolean fallback) {
    return fallback;
  }
}
