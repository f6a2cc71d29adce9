package dev.gollm.processor.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The processor's JSON: {@link #parse(String)} reads a document into a {@link JsonValue}; {@link
 * #write} and {@link #text} write maps, lists, strings, numbers, booleans, nulls and {@link
 * JsonValue}s as compact JSON.
 *
 * <p>Strict JSON (no comments, NaN, single quotes or trailing commas; nothing after the value),
 * nesting at most 500 deep, numbers of at most 1,000 characters. Written by hand rather than on a
 * library: the documents are small and many (a stream chunk per token), and a general parser's
 * set-up per document and its classes cost more CPU than the parsing, most of all in the first
 * minutes after a start.
 */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /**
   * Parses one JSON document; blank text is {@link JsonMissing} (there is no value).
   *
   * @throws JsonException when the text is not one well-formed JSON value
   */
  public static JsonValue parse(String text) {
    return new JsonReader(text).document();
  }

  /**
   * Writes {@code value} as UTF-8 JSON: a {@link Map} as an object in its iteration order (keys as
   * strings), a {@link Collection} as an array; {@link String}, {@link Integer}, {@link Long},
   * {@link Double}, {@link BigInteger}, {@link Boolean}, null and {@link JsonValue} as themselves.
   * A double that is not finite is written as a string ("NaN", "Infinity").
   *
   * @throws IllegalArgumentException for a value of another type
   */
  public static byte[] write(Object value) {
    return text(value).getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #write} to a string. */
  public static String text(Object value) {
    StringBuilder out = new StringBuilder(128);
    write(out, value);
    return out.toString();
  }

  // An instanceof chain, not a pattern switch: a pattern switch is an invokedynamic whose first
  // run generates a class, which a start-up pays for.
  private static void write(StringBuilder out, Object value) {
    if (value == null || value instanceof JsonNull) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Double d) {
      if (Double.isFinite(d)) {
        out.append((double) d);
      } else {
        string(out, d.toString());
      }
    } else if (value instanceof Boolean b) {
      out.append((boolean) b);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object element : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, element);
      }
      out.append(']');
    } else if (value instanceof JsonObject o) {
      write(out, o.members());
    } else if (value instanceof JsonArray a) {
      write(out, a.elements());
    } else if (value instanceof JsonString s) {
      string(out, s.value());
    } else if (value instanceof JsonNumber n) {
      write(out, n.value());
    } else if (value instanceof JsonBoolean b) {
      out.append(b.value());
    } else if (value instanceof JsonMissing) {
      throw new IllegalArgumentException("a missing value has no JSON");
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  /** A string with the escapes JSON requires (quote, backslash, control characters), no more. */
  private static void string(StringBuilder out, String s) {
    out.append('"');
    int plainFrom = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, plainFrom, i);
      plainFrom = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(s, plainFrom, s.length()).append('"');
  }
}
