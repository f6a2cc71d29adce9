package dev.gollm.devstack.manager;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Writing the manager's responses and reading requests' bodies and query strings. */
final class Responses {
  /** The auth middleware's body: note the space after the colon and no newline. */
  static final byte[] UNAUTHORIZED_BODY =
      "{\"error\": \"Invalid or missing API key\"}".getBytes(StandardCharsets.UTF_8);

  private Responses() {}

  /** A JSON body as Go's encoder writes it, with the CORS headers of the manager's middleware. */
  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    cors(exchange.getResponseHeaders());
    send(exchange, status, "application/json", WireJson.line(body));
  }

  /** {@code {"error":"<message>"}}. */
  static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, WireJson.sortedObject("error", message));
  }

  /** The 401 of the auth middleware, which runs before CORS: no CORS headers. */
  static void unauthorized(HttpExchange exchange) throws IOException {
    send(exchange, 401, "application/json", UNAUTHORIZED_BODY);
  }

  static void cors(Headers headers) {
    headers.set("Access-Control-Allow-Origin", "*");
    headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    headers.set("Access-Control-Allow-Headers", "Content-Type, Authorization");
  }

  /** Sends a whole body; a HEAD request gets the headers only. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    HttpIo.send(exchange, status, contentType, head ? new byte[0] : body);
  }

  /** A body over the limit. */
  static final class BodyTooLargeException extends Exception {
    BodyTooLargeException(int limit) {
      super("request body larger than " + limit + " bytes");
    }
  }

  /** Reads the whole request body, refusing more than {@code maxBytes}. */
  static byte[] readBody(HttpExchange exchange, int maxBytes)
      throws IOException, BodyTooLargeException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      return body;
    }
  }

  /**
   * Query parameters, first value per name, decoded like Go's {@code url.ParseQuery}; pairs that do
   * not decode are skipped.
   */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // Go's ParseQuery drops a pair it cannot unescape and keeps the rest.
      }
    }
    return params;
  }

  /** Go's {@code strconv.Atoi} of a query value, or {@code fallback} when it does not parse. */
  static long atoi(String raw, long fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
