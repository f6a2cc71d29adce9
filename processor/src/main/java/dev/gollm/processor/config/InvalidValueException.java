package dev.gollm.processor.config;

/**
 * A variable's text could not become a value. The message says what was expected, phrased to follow
 * "expected ...", e.g. "a duration with a unit, such as 5s".
 */
public final class InvalidValueException extends Exception {
  public InvalidValueException(String expected) {
    super(expected);
  }

  /** What a valid value looks like. */
  public String expected() {
    return getMessage();
  }
}
