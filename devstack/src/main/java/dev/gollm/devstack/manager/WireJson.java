package dev.gollm.devstack.manager;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON as the Go manager writes it: compact, HTML characters escaped ({@code <} as {@code \u003c}),
 * lowercase hex escapes, whole floats without a fraction, and bodies built from maps with their
 * keys in alphabetical order.
 */
final class WireJson {
  /** The mapper for everything the manager writes; thread-safe. */
  static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .characterEscapes(new GoEscapes())
                  .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                  .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                  .build())
          .build();

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WireJson() {}

  /** Compact JSON followed by a newline, as Go's {@code json.Encoder} writes a response. */
  static byte[] line(JsonNode node) {
    byte[] json = MAPPER.writeValueAsBytes(node);
    byte[] withNewline = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewline, 0, json.length);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /** Compact JSON without a newline. */
  static String compact(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An object with its keys sorted, as Go writes a {@code map[string]interface{}}. Arguments
   * alternate key and value; values may be JSON nodes, strings, numbers, booleans or null.
   */
  static ObjectNode sortedObject(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs");
    }
    java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      sorted.put((String) keysAndValues[i], node(keysAndValues[i + 1]));
    }
    ObjectNode object = NODES.objectNode();
    sorted.forEach(object::set);
    return object;
  }

  static ArrayNode array(Iterable<? extends JsonNode> items) {
    ArrayNode array = NODES.arrayNode();
    items.forEach(array::add);
    return array;
  }

  /** Converts a plain value into a node; doubles with no fraction are written as integers. */
  static JsonNode node(Object value) {
    return switch (value) {
      case null -> NODES.nullNode();
      case JsonNode n -> n;
      case String s -> NODES.stringNode(s);
      case Boolean b -> NODES.booleanNode(b);
      case Integer i -> NODES.numberNode(i);
      case Long l -> NODES.numberNode(l);
      case Double d -> goFloat(d);
      default ->
          throw new IllegalArgumentException(
              "cannot write " + value.getClass().getName() + " as JSON");
    };
  }

  /** A float64 the way Go formats it: {@code 35} for 35.0, {@code 0.3} for 0.3. */
  static JsonNode goFloat(double value) {
    if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e21) {
      return NODES.numberNode(new BigDecimal(value).toBigIntegerExact());
    }
    return NODES.numberNode(value);
  }

  /** Go's encoder escapes {@code < > &} and the two Unicode line separators. */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
    private final int[] ascii;

    GoEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case 0x2028 -> LINE_SEPARATOR;
        case 0x2029 -> PARAGRAPH_SEPARATOR;
        default -> null;
      };
    }
  }
}
