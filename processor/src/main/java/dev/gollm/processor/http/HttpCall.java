package dev.gollm.processor.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request: method, target, headers, an optional JSON body and how long any single read of the
 * answer may wait ({@link Duration#ZERO}: no limit, for streams a watchdog bounds instead).
 *
 * @param body the JSON body, or null for none
 */
public record HttpCall(
    String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {

  public HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    headers = Map.copyOf(headers);
  }

  public static HttpCall get(URI uri, Duration timeout) {
    return new HttpCall("GET", uri, Map.of(), null, timeout);
  }

  /** A POST of a JSON body (Content-Type application/json); {@code json} null sends none. */
  public static HttpCall postJson(URI uri, byte[] json, Duration timeout) {
    return new HttpCall("POST", uri, Map.of(), json, timeout);
  }

  /** This call with one more header (or another value for it). */
  public HttpCall withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpCall(method, uri, more, body, timeout);
  }

  /** Header names only: values such as the API key must never reach a log. */
  @Override
  public String toString() {
    return method
        + " "
        + uri
        + " headers="
        + headers.keySet()
        + " body="
        + (body == null ? "none" : body.length + " bytes")
        + " timeout="
        + timeout;
  }
}
