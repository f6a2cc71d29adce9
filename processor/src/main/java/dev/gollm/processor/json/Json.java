package dev.gollm.processor.json;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * The processor's JSON, on Jackson's streaming parser and generator alone: {@link #parse(String)}
 * reads a document into a {@link JsonValue}; {@link #write} and {@link #text} write maps, lists,
 * strings, numbers, booleans, nulls and {@link JsonValue}s. Readers of many small documents that
 * need a few fields of each read them off the parser with {@link #parse(String, Function)}.
 *
 * <p>Strict JSON (no comments, NaN, single quotes or trailing commas; nothing after the value),
 * within Jackson's default limits: nesting 500 deep, numbers of 1,000 digits, strings of 100
 * million characters.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /**
   * Parses one JSON document; blank text is {@link JsonMissing} (there is no value).
   *
   * @throws JsonException when the text is not one well-formed JSON value
   */
  public static JsonValue parse(String text) {
    return parse(
        text, parser -> parser.currentToken() == null ? JsonMissing.INSTANCE : value(parser));
  }

  /**
   * Parses one JSON document with a streaming reader, which finds the parser on the document's
   * first token (none for blank text) and must leave it on the last token of that value, having
   * skipped ({@link JsonParser#skipChildren()}) or read ({@link #value}) what it passed.
   *
   * @throws JsonException when the text is not one well-formed JSON value
   */
  public static <T> T parse(String text, Function<JsonParser, T> reader) {
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      parser.nextToken();
      T result = reader.apply(parser);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new StreamReadException(
            parser,
            "Trailing token (`JsonToken." + trailing.name() + "`) found after value",
            parser.currentTokenLocation());
      }
      return result;
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      throw new JsonException(
          e.getOriginalMessage(),
          at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(),
          e);
    }
  }

  /**
   * Reads the value the parser stands on, nested values included, and leaves the parser on the
   * value's last token. For readers given to {@link #parse(String, Function)}.
   */
  public static JsonValue value(JsonParser parser) {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IllegalStateException("the parser stands on no value");
    }
    // No "case null" and no type patterns in the processor's switches: either makes the switch
    // an invokedynamic whose first run generates a class, which a start-up pays for.
    return switch (token) {
      case START_OBJECT -> {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
          parser.nextToken();
          members.put(name, value(parser));
        }
        yield new JsonObject(members);
      }
      case START_ARRAY -> {
        List<JsonValue> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          elements.add(value(parser));
        }
        yield new JsonArray(elements);
      }
      case VALUE_STRING -> new JsonString(parser.getString());
      case VALUE_NUMBER_INT -> new JsonNumber(parser.getNumberValue());
      case VALUE_NUMBER_FLOAT -> new JsonNumber(parser.getDoubleValue());
      case VALUE_TRUE -> JsonBoolean.TRUE;
      case VALUE_FALSE -> JsonBoolean.FALSE;
      case VALUE_NULL -> JsonNull.INSTANCE;
      default -> throw new IllegalStateException("the parser stands on no value but on " + token);
    };
  }

  /**
   * Writes {@code value} as UTF-8 JSON: a {@link Map} as an object in its iteration order (keys as
   * strings), a {@link Collection} as an array; {@link String}, {@link Integer}, {@link Long},
   * {@link Double}, {@link BigInteger}, {@link Boolean}, null and {@link JsonValue} as themselves.
   *
   * @throws IllegalArgumentException for a value of another type
   */
  public static byte[] write(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      write(generator, value);
    }
    return out.toByteArray();
  }

  /** {@link #write} to a string. */
  public static String text(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      write(generator, value);
    }
    return out.toString();
  }

  // An instanceof chain, not a pattern switch: see value(JsonParser).
  private static void write(JsonGenerator out, Object value) {
    if (value == null || value instanceof JsonNull) {
      out.writeNull();
    } else if (value instanceof String s) {
      out.writeString(s);
    } else if (value instanceof Integer i) {
      out.writeNumber(i);
    } else if (value instanceof Long l) {
      out.writeNumber(l);
    } else if (value instanceof Double d) {
      out.writeNumber(d);
    } else if (value instanceof BigInteger b) {
      out.writeNumber(b);
    } else if (value instanceof Boolean b) {
      out.writeBoolean(b);
    } else if (value instanceof Map<?, ?> map) {
      out.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.writeName(String.valueOf(e.getKey()));
        write(out, e.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof Collection<?> list) {
      out.writeStartArray();
      for (Object element : list) {
        write(out, element);
      }
      out.writeEndArray();
    } else if (value instanceof JsonObject o) {
      write(out, o.members());
    } else if (value instanceof JsonArray a) {
      write(out, a.elements());
    } else if (value instanceof JsonString s) {
      out.writeString(s.value());
    } else if (value instanceof JsonNumber n) {
      write(out, n.value());
    } else if (value instanceof JsonBoolean b) {
      out.writeBoolean(b.value());
    } else if (value instanceof JsonMissing) {
      throw new IllegalArgumentException("a missing value has no JSON");
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }
}
