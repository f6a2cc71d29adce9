package dev.gollm.processor.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document (RFC 8259, nothing more: no comments, NaN, single quotes or trailing
 * commas) into a {@link JsonValue}, by recursive descent over the text. Nesting is bounded at 500
 * arrays and objects and numbers at 1,000 characters, so no document can exhaust the stack or make
 * a number's conversion slow.
 */
final class JsonReader {
  static final int MAX_DEPTH = 500;
  static final int MAX_NUMBER_LENGTH = 1_000;

  private static final String A_VALUE =
      "a value (a string, a number, an object, an array, true, false or null)";
  private static final int END = -1;

  private final String text;
  private int pos;
  private int depth;

  JsonReader(String text) {
    this.text = text;
  }

  /** The document's value; {@link JsonMissing} for blank text. */
  JsonValue document() {
    skipWhitespace();
    if (pos == text.length()) {
      return JsonMissing.INSTANCE;
    }
    JsonValue value = value();
    skipWhitespace();
    if (pos < text.length()) {
      throw unexpected("the end of the text after the value");
    }
    return value;
  }

  private JsonValue value() {
    int c = peek();
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> new JsonString(string());
      case 't' -> literal("true", JsonBoolean.TRUE);
      case 'f' -> literal("false", JsonBoolean.FALSE);
      case 'n' -> literal("null", JsonNull.INSTANCE);
      default -> {
        if (c == '-' || isDigit(c)) {
          yield number();
        }
        throw unexpected(A_VALUE);
      }
    };
  }

  private JsonObject object() {
    enter();
    Map<String, JsonValue> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      return leave(new JsonObject(members));
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw unexpected("a member's name (a string)");
      }
      String name = string();
      skipWhitespace();
      expect(':', "':' after the member's name");
      skipWhitespace();
      members.put(name, value());
      skipWhitespace();
      int c = peek();
      if (c == '}') {
        return leave(new JsonObject(members));
      }
      if (c != ',') {
        throw unexpected("',' or '}' after an object's member");
      }
      pos++;
    }
  }

  private JsonArray array() {
    enter();
    List<JsonValue> elements = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      return leave(new JsonArray(elements));
    }
    while (true) {
      skipWhitespace();
      elements.add(value());
      skipWhitespace();
      int c = peek();
      if (c == ']') {
        return leave(new JsonArray(elements));
      }
      if (c != ',') {
        throw unexpected("',' or ']' after an array's element");
      }
      pos++;
    }
  }

  /** Steps over the opening bracket the parser stands on, one level deeper. */
  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("arrays and objects nested deeper than " + MAX_DEPTH + " levels", pos);
    }
    pos++;
  }

  /** Steps over the closing bracket the parser stands on, one level up. */
  private <T> T leave(T value) {
    depth--;
    pos++;
    return value;
  }

  /** The string whose opening quote the parser stands on; leaves it after the closing quote. */
  private String string() {
    int start = pos + 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        pos = i + 1;
        return text.substring(start, i);
      }
      if (c == '\\' || c < 0x20) {
        pos = i;
        return escapedString(new StringBuilder(i - start + 16).append(text, start, i));
      }
    }
    pos = text.length();
    throw unexpected("the string's closing '\"'");
  }

  /** The rest of a string with escapes, from the first one; {@code out} holds what came before. */
  private String escapedString(StringBuilder out) {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      }
      if (c < 0x20) {
        throw unexpected("no control character inside a string (write it as an escape, e.g. \\n)");
      }
      if (c != '\\') {
        out.append(c);
        pos++;
        continue;
      }
      pos++;
      int e = peek();
      switch (e) {
        case '"', '\\', '/' -> out.append((char) e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hexChar());
        default -> throw unexpected("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
      pos++;
    }
    throw unexpected("the string's closing '\"'");
  }

  /** The character of a backslash-u escape, the parser on its u; leaves it on the last digit. */
  private char hexChar() {
    int code = 0;
    for (int i = 0; i < 4; i++) {
      pos++;
      int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
      if (digit < 0) {
        throw unexpected("four hexadecimal digits after \\u");
      }
      code = code << 4 | digit;
    }
    return (char) code;
  }

  private JsonNumber number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits("a digit");
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      digits("a digit after the decimal point");
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits("a digit in the exponent");
      integral = false;
    }
    int length = pos - start;
    if (length > MAX_NUMBER_LENGTH) {
      throw error(
          "a number of " + length + " characters; at most " + MAX_NUMBER_LENGTH + " are read",
          start);
    }
    if (!integral) {
      return new JsonNumber(Double.parseDouble(text.substring(start, pos)));
    }
    int digitCount = text.charAt(start) == '-' ? length - 1 : length;
    if (digitCount <= 18) { // within a long whatever the digits
      long value = Long.parseLong(text, start, pos, 10);
      return (int) value == value ? new JsonNumber((int) value) : new JsonNumber(value);
    }
    BigInteger value = new BigInteger(text.substring(start, pos));
    return value.bitLength() < Long.SIZE
        ? new JsonNumber(value.longValue())
        : new JsonNumber(value);
  }

  /** Steps over one or more digits. */
  private void digits(String expected) {
    if (!isDigit(peek())) {
      throw unexpected(expected);
    }
    do {
      pos++;
    } while (isDigit(peek()));
  }

  private JsonValue literal(String word, JsonValue value) {
    if (!text.startsWith(word, pos)) {
      throw unexpected(A_VALUE);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c, String expected) {
    if (peek() != c) {
      throw unexpected(expected);
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  /** The character at the parser, or {@link #END}. */
  private int peek() {
    return pos < text.length() ? text.charAt(pos) : END;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** What stands at the parser (a word whole), and what was expected there. */
  private JsonException unexpected(String expected) {
    if (pos >= text.length()) {
      return error("the text ends where " + expected + " was expected", text.length());
    }
    int end = pos + 1;
    while (end < text.length() && end - pos < 20 && Character.isLetterOrDigit(text.charAt(end))) {
      end++;
    }
    String found =
        Character.isLetterOrDigit(text.charAt(pos))
            ? "'" + text.substring(pos, end) + "'"
            : describe(text.charAt(pos));
    return error("unexpected " + found + " where " + expected + " was expected", pos);
  }

  private static String describe(char c) {
    return c < 0x20 || c == 0x7f
        ? String.format("control character U+%04X", (int) c)
        : "'" + c + "'";
  }

  /** An error at {@code at}, with its line and column counted from 1. */
  private JsonException error(String reason, int at) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonException(reason, line, at - lineStart + 1);
  }
}
