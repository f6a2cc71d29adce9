package dev.gollm.devstack.manager;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads durations like {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO {@code PT5M}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses a duration.
   *
   * @throws CommandLine.TypeConversionException naming the value and the accepted forms
   */
  public static Duration parse(String value) {
    String text = value.trim();
    Matcher simple = SIMPLE.matcher(text);
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      return switch (simple.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    try {
      Duration parsed = Duration.parse(text);
      if (parsed.isNegative()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is negative; a duration must be >= 0");
      }
      return parsed;
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a duration; expected a whole number with ms, s, m or h"
              + " (250ms, 30s, 5m, 1h) or ISO-8601 (PT5M)");
    }
  }
}
