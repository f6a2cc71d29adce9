package dev.gollm.processor.logging;

import dev.gollm.processor.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two shapes of a log line. Text: {@code 2025-01-02T03:04:05.678Z INFO d.g.p.intake.Claimer -
 * message}, then the stack trace, if any. JSON: one object with {@code timestamp} (epoch
 * milliseconds), {@code level}, {@code threadName}, {@code loggerName}, {@code formattedMessage}
 * and, with an exception, {@code throwable} ({@code className}, {@code message}, {@code
 * stackTrace}). Times are UTC, so that no time-zone database is read to write them.
 */
final class LogLines {
  /** Logger names longer than this lose package names to their initials, from the left. */
  static final int LOGGER_WIDTH = 24;

  private LogLines() {}

  static String text(LogEvent event) {
    StringBuilder line = new StringBuilder(80 + event.message().length());
    timestamp(line, event.epochMillis());
    String level = event.level().toString();
    line.append(' ').append(level);
    line.repeat(' ', 5 - level.length());
    line.append(' ').append(abbreviate(event.loggerName(), LOGGER_WIDTH));
    line.append(" - ").append(event.message()).append('\n');
    if (event.thrown() != null) {
      line.append(stackTrace(event.thrown()));
    }
    return line.toString();
  }

  static String json(LogEvent event) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("timestamp", event.epochMillis());
    object.put("level", event.level().toString());
    object.put("threadName", event.threadName());
    object.put("loggerName", event.loggerName());
    object.put("formattedMessage", event.message());
    Throwable thrown = event.thrown();
    if (thrown != null) {
      Map<String, Object> throwable = new LinkedHashMap<>();
      throwable.put("className", thrown.getClass().getName());
      throwable.put("message", thrown.getMessage());
      throwable.put("stackTrace", stackTrace(thrown));
      object.put("throwable", throwable);
    }
    return Json.text(object) + '\n';
  }

  /** Shortens {@code name} as Logback's {@code %logger{width}} does; the class name stays whole. */
  static String abbreviate(String name, int width) {
    int lastDot = name.lastIndexOf('.');
    if (name.length() <= width || lastDot < 0) {
      return name;
    }
    StringBuilder out = new StringBuilder(width);
    int excess = name.length() - width;
    int start = 0;
    while (start <= lastDot) {
      int dot = name.indexOf('.', start);
      int length = dot - start;
      if (excess > 0 && length > 1) {
        out.append(name.charAt(start));
        excess -= length - 1;
      } else {
        out.append(name, start, dot);
      }
      out.append('.');
      start = dot + 1;
    }
    return out.append(name, lastDot + 1, name.length()).toString();
  }

  /** ISO 8601 in UTC with milliseconds: {@code 2025-01-02T03:04:05.678Z}. */
  private static void timestamp(StringBuilder out, long epochMillis) {
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000),
            Math.floorMod(epochMillis, 1000) * 1_000_000,
            ZoneOffset.UTC);
    out.append(t.getYear()).append('-');
    twoDigits(out, t.getMonthValue()).append('-');
    twoDigits(out, t.getDayOfMonth()).append('T');
    twoDigits(out, t.getHour()).append(':');
    twoDigits(out, t.getMinute()).append(':');
    twoDigits(out, t.getSecond()).append('.');
    int millis = t.getNano() / 1_000_000;
    out.append((char) ('0' + millis / 100));
    twoDigits(out, millis % 100).append('Z');
  }

  private static StringBuilder twoDigits(StringBuilder out, int value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
