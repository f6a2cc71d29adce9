package dev.gollm.processor.config;

import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.config.ProcessorConfig.LlmEndpoint;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.config.ProcessorConfig.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The value types of the configuration variables, each with its validation. */
final class ValueTypes {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");
  private static final Pattern HOST_PORT = Pattern.compile("[^\\s/:@?#\\[\\]]+:\\d+");
  private static final Pattern HOST_ONLY = Pattern.compile("[A-Za-z0-9.-]+");
  private static final int OLLAMA_PORT = 11434;

  private ValueTypes() {}

  /** A Go duration; {@code zeroAllowed} admits "0" where zero has a meaning (such as "off"). */
  static ValueType<Duration> duration(boolean zeroAllowed) {
    return new ValueType<>(
        zeroAllowed ? "duration (0 allowed)" : "duration",
        text -> {
          Duration d = GoDuration.parse(text);
          if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            throw new InvalidValueException(
                zeroAllowed
                    ? "a duration of 0 or more, such as 0, 500ms or 30s"
                    : "a duration above 0 with a unit, such as 300ms, 5s, 1m30s or 1h");
          }
          return d;
        },
        GoDuration::format,
        false);
  }

  /**
   * Ollama's keep_alive: a Go duration, or a whole number of seconds as Ollama also reads it; a
   * negative value means for ever, 0 unload after each request. Negative values read as -1s.
   */
  static ValueType<Duration> keepAlive() {
    return new ValueType<>(
        "duration, negative = for ever",
        text -> {
          if (INTEGER.matcher(text).matches()) {
            try {
              return normalizedKeepAlive(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException | ArithmeticException e) {
              throw new InvalidValueException(GoDuration.EXPECTED + ", or -1 for ever");
            }
          }
          try {
            return normalizedKeepAlive(GoDuration.parse(text));
          } catch (InvalidValueException e) {
            throw new InvalidValueException(
                "a duration such as 30m or 1h, a number of seconds, or -1 for ever");
          }
        },
        GoDuration::format,
        true);
  }

  private static Duration normalizedKeepAlive(Duration d) {
    return d.isNegative() ? Duration.ofSeconds(-1) : d;
  }

  /** OLLAMA_NUM_CTX: "server", "auto", or a whole number of tokens of at least 256. */
  static ValueType<NumCtx> numCtx() {
    String expected = "server, auto, or a number of tokens of at least 256 such as 8192";
    return new ValueType<>(
        "server | auto | integer ≥ 256",
        text -> {
          String lower = text.toLowerCase(Locale.ROOT);
          if (lower.equals("server")) {
            return NumCtx.SERVER;
          }
          if (lower.equals("auto")) {
            return NumCtx.AUTO;
          }
          if (!text.matches("\\d{3,9}") || Integer.parseInt(text) < 256) {
            throw new InvalidValueException(expected);
          }
          return NumCtx.fixed(Integer.parseInt(text));
        },
        NumCtx::toString,
        true);
  }

  static ValueType<Boolean> bool() {
    return new ValueType<>("boolean", GoBool::parse, String::valueOf, false);
  }

  /** A whole number of at least {@code min}. */
  static ValueType<Integer> integer(int min) {
    String expected = "a whole number of at least " + min;
    return new ValueType<>(
        "integer ≥ " + min,
        text -> {
          if (!INTEGER.matcher(text).matches()) {
            throw new InvalidValueException(expected);
          }
          int value;
          try {
            value = Integer.parseInt(text);
          } catch (NumberFormatException e) {
            throw new InvalidValueException(expected + " and at most " + Integer.MAX_VALUE);
          }
          if (value < min) {
            throw new InvalidValueException(expected);
          }
          return value;
        },
        String::valueOf,
        false);
  }

  /** A decimal number from 0 to 1 inclusive. */
  static ValueType<Double> fraction() {
    String expected = "a number from 0 to 1, such as 0.3";
    return new ValueType<>(
        "number 0..1",
        text -> {
          if (!DECIMAL.matcher(text).matches()) {
            throw new InvalidValueException(expected);
          }
          double value = Double.parseDouble(text);
          if (!(value >= 0 && value <= 1)) {
            throw new InvalidValueException(expected);
          }
          return value;
        },
        String::valueOf,
        false);
  }

  /**
   * An absolute http or https URL with a host and no spaces, user info (it would be shown by
   * `processor config`), query or fragment; the scheme is lower-cased and trailing slashes are
   * dropped so paths can be appended.
   */
  static ValueType<URI> httpUrl(String example) {
    String expected = urlExpected(example);
    return new ValueType<>("URL", text -> parseUrl(text, expected), URI::toString, true);
  }

  /**
   * Ollama's address as a URL (see {@link #httpUrl}) or in the forms Ollama's own OLLAMA_HOST
   * takes: "host:port" means http://host:port and a host alone http://host:11434.
   */
  static ValueType<URI> ollamaUrl() {
    String expected =
        urlExpected("http://ollama:11434") + ", or host:port, or a host alone for port 11434";
    return new ValueType<>(
        "URL, host:port or host",
        text -> {
          String url = text;
          if (HOST_PORT.matcher(text).matches()) {
            url = "http://" + text;
          } else if (HOST_ONLY.matcher(text).matches()) {
            url = "http://" + text + ":" + OLLAMA_PORT;
          }
          return parseUrl(url, expected);
        },
        URI::toString,
        true);
  }

  private static String urlExpected(String example) {
    return "an absolute http:// or https:// URL with a host, no spaces and no user:password@,"
        + " such as "
        + example;
  }

  private static URI parseUrl(String text, String expected) throws InvalidValueException {
    if (text.isEmpty() || WHITESPACE.matcher(text).find()) {
      throw new InvalidValueException(expected);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidValueException(expected);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean portOk = uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || !portOk
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new InvalidValueException(expected);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  /**
   * A listen address as Go's net.SplitHostPort reads it: "host:port", "[ipv6]:port" or ":port"
   * (every interface); the port is 0 to 65535, 0 meaning any free port.
   */
  static ValueType<ListenAddress> listenAddress() {
    String expected =
        "host:port with a port from 0 to 65535, such as :8081, 127.0.0.1:8081 or [::1]:8081";
    return new ValueType<>(
        "host:port",
        text -> {
          int colon = text.lastIndexOf(':');
          if (colon < 0) {
            throw new InvalidValueException(expected);
          }
          String host = text.substring(0, colon);
          String port = text.substring(colon + 1);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty() || !host.contains(":")) {
              throw new InvalidValueException(expected);
            }
          } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            throw new InvalidValueException(expected);
          }
          if (WHITESPACE.matcher(host).find()
              || host.contains("/")
              || !port.matches("\\d{1,5}")
              || Integer.parseInt(port) > 65535) {
            throw new InvalidValueException(expected);
          }
          return new ListenAddress(host, Integer.parseInt(port));
        },
        ListenAddress::toString,
        false);
  }

  /** A URL path starting with '/'. */
  static ValueType<String> path() {
    return new ValueType<>(
        "path",
        text -> {
          if (!text.startsWith("/") || WHITESPACE.matcher(text).find()) {
            throw new InvalidValueException(
                "a path starting with '/' and without spaces, such as /api/internal/task-stream");
          }
          return text;
        },
        s -> s,
        false);
  }

  /** A non-empty word without whitespace, such as a model name or an identifier. */
  static ValueType<String> word(String example) {
    return new ValueType<>(
        "text",
        text -> {
          if (text.isEmpty() || WHITESPACE.matcher(text).find()) {
            throw new InvalidValueException("a non-empty value without spaces, such as " + example);
          }
          return text;
        },
        s -> s,
        false);
  }

  /** A non-empty secret; never shown. */
  static ValueType<Secret> secret() {
    return new ValueType<>(
        "secret",
        text -> {
          if (text.isEmpty() || WHITESPACE.matcher(text).find()) {
            throw new InvalidValueException("a non-empty key without spaces");
          }
          return new Secret(text);
        },
        Secret::value,
        false);
  }

  /** A secret that may be empty (meaning none); never shown. */
  static ValueType<Secret> optionalSecret() {
    return new ValueType<>(
        "secret",
        text -> {
          if (WHITESPACE.matcher(text).find()) {
            throw new InvalidValueException("a key without spaces, or nothing");
          }
          return new Secret(text);
        },
        Secret::value,
        false);
  }

  /**
   * LLM servers: comma-separated entries, each a URL (in any form OLLAMA_URL takes) with an
   * optional {@code *capacity}; empty means none (OLLAMA_URL then). A bad entry is named by its
   * position.
   */
  static ValueType<List<LlmEndpoint>> llmEndpoints() {
    String form =
        "URL or URL*capacity entries separated by commas, such as"
            + " http://gpu1:8000*4,http://gpu2:8000*2";
    ValueType<URI> url = ollamaUrl();
    return new ValueType<>(
        "URL*capacity list",
        text -> {
          if (text.isBlank()) {
            return List.of();
          }
          String[] entries = text.split(",", -1);
          List<LlmEndpoint> endpoints = new ArrayList<>();
          for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            String where = form + "; entry " + (i + 1) + " " + ConfigProblem.quote(entry);
            int star = entry.lastIndexOf('*');
            String address = star < 0 ? entry : entry.substring(0, star);
            int capacity = 0;
            if (star >= 0) {
              String n = entry.substring(star + 1).strip();
              if (!n.matches("\\d{1,6}") || Integer.parseInt(n) < 1) {
                throw new InvalidValueException(
                    where
                        + " has no valid capacity: expected a whole number of at least 1 after *");
              }
              capacity = Integer.parseInt(n);
            }
            URI parsed;
            try {
              parsed = url.parse(address.strip());
            } catch (InvalidValueException e) {
              throw new InvalidValueException(where + " is not a URL: expected " + e.expected());
            }
            for (LlmEndpoint earlier : endpoints) {
              if (earlier.url().equals(parsed)) {
                throw new InvalidValueException(where + " repeats " + parsed);
              }
            }
            endpoints.add(new LlmEndpoint(parsed, capacity));
          }
          return List.copyOf(endpoints);
        },
        list -> String.join(",", list.stream().map(LlmEndpoint::toString).toList()),
        true);
  }

  /** One of a fixed set of words, in any letter case; the value is the lower-case word. */
  static ValueType<String> oneOf(String... choices) {
    List<String> allowed = Arrays.asList(choices);
    String listed = String.join(" | ", allowed);
    return new ValueType<>(
        listed,
        text -> {
          String lower = text.toLowerCase(Locale.ROOT);
          if (!allowed.contains(lower)) {
            throw new InvalidValueException("one of " + String.join(", ", allowed));
          }
          return lower;
        },
        s -> s,
        false);
  }

  /** One constant of an enum, written in lower case. */
  static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
    E[] constants = type.getEnumConstants();
    String[] names =
        Arrays.stream(constants).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    ValueType<String> words = oneOf(names);
    return new ValueType<>(
        words.kind(),
        text -> Enum.valueOf(type, words.parse(text).toUpperCase(Locale.ROOT)),
        e -> e.name().toLowerCase(Locale.ROOT),
        false);
  }
}
