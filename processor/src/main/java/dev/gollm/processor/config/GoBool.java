package dev.gollm.processor.config;

import java.util.Set;

/** Booleans as Go's {@code strconv.ParseBool} accepts them. */
public final class GoBool {
  static final String EXPECTED =
      "a boolean: true or false (also 1, t, T, TRUE, True, 0, f, F, FALSE, False)";

  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private GoBool() {}

  public static boolean parse(String text) throws InvalidValueException {
    if (TRUE.contains(text)) {
      return true;
    }
    if (FALSE.contains(text)) {
      return false;
    }
    throw new InvalidValueException(EXPECTED);
  }
}
