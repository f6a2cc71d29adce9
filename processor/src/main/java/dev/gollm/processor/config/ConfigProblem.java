package dev.gollm.processor.config;

/**
 * One reason the configuration is unusable; {@link #toString()} gives the line printed on stderr.
 *
 * @param subject the variable (or file) at fault
 * @param detail the value, where it came from and what was expected
 */
public record ConfigProblem(String subject, String detail) {

  static ConfigProblem invalidValue(
      String variable, String shownValue, String origin, String expected) {
    return new ConfigProblem(
        variable, quote(shownValue) + " (" + origin + ") is invalid; expected " + expected);
  }

  /**
   * An empty (or blank) value, which never means "the default": says so, how to get the default
   * instead, and what a value looks like.
   */
  static ConfigProblem emptyValue(
      String variable,
      String value,
      String origin,
      String howToGetTheDefault,
      String defaultValue,
      String expected) {
    return new ConfigProblem(
        variable,
        (value.isEmpty() ? "the value is empty" : "the value " + quote(value) + " is blank")
            + " ("
            + origin
            + "); "
            + howToGetTheDefault
            + " to get the default ("
            + defaultValue
            + "), or give "
            + expected);
  }

  static ConfigProblem unknownVariable(String key, String origin) {
    return new ConfigProblem(
        key,
        "unknown variable ("
            + origin
            + "); expected one of the processor's variables (see `processor config --markdown`)");
  }

  /** Quotes a value for an error line, making invisible characters visible. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return subject + ": " + detail;
  }
}
