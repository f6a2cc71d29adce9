package dev.gollm.devstack.ollama;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Ollama's keep_alive value: a Go duration string ("5m", "1h30m", "250ms"), a number of seconds,
 * negative for "keep loaded forever", zero for "unload after this request".
 */
final class KeepAlive {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private KeepAlive() {}

  /** The duration, or null when absent; negative durations mean forever. */
  static Duration fromJson(JsonNode node, String path) {
    if (JsonFields.absent(node)) {
      return null;
    }
    if (node.isNumber()) {
      return seconds(node.decimalValue());
    }
    if (node.isString()) {
      return parse(node.stringValue(), path);
    }
    throw JsonFields.wrongType(
        path, "a duration string such as \"5m\" or a number of seconds", node);
  }

  /** Parses a Go duration string; a bare number counts as seconds. */
  static Duration parse(String text, String path) {
    String t = text.trim();
    if (t.matches("[-+]?\\d+(\\.\\d+)?")) {
      return seconds(new BigDecimal(t));
    }
    boolean negative = t.startsWith("-");
    String rest = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(rest);
    BigDecimal nanos = BigDecimal.ZERO;
    int pos = 0;
    while (pos < rest.length() && m.find(pos) && m.start() == pos) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      pos = m.end();
    }
    if (rest.isEmpty() || pos != rest.length()) {
      throw new InvalidRequestException(
          path
              + ": '"
              + text
              + "' is not a duration; expected e.g. \"5m\", \"1h30m\", \"250ms\" or seconds");
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  /** A duration as a Go duration string Ollama reads back: "300s", "250ms", "-1s" for ever. */
  static String format(Duration d) {
    if (d.isNegative()) {
      return "-1s";
    }
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : nanos + "ns";
  }

  private static Duration seconds(BigDecimal s) {
    return Duration.ofNanos(s.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalStateException("unit " + unit + " passed the pattern");
    };
  }
}
