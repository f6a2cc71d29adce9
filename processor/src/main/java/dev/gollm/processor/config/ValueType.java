package dev.gollm.processor.config;

import java.util.function.Function;

/**
 * How a variable's text becomes a typed value and back.
 *
 * @param kind short description for documentation, e.g. "duration" or "integer ≥ 1"
 * @param parser text to value; throws with what was expected
 * @param formatter value to text that parses back to the same value
 * @param showCanonical whether `processor config` shows the formatted value instead of the text as
 *     written (for values that are normalised, like a bare host:port given as Ollama's URL)
 */
record ValueType<T>(
    String kind, Parser<T> parser, Function<T, String> formatter, boolean showCanonical) {

  /** Text to value. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String text) throws InvalidValueException;
  }

  T parse(String text) throws InvalidValueException {
    return parser.parse(text);
  }

  String format(T value) {
    return formatter.apply(value);
  }
}
