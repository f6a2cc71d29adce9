package dev.gollm.devstack.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers shared by devstack's HTTP servers: JSON in and out of an exchange. */
public final class HttpIo {
  /** The one JSON mapper of devstack; thread-safe. */
  public static final ObjectMapper JSON = JsonMapper.builder().build();

  private HttpIo() {}

  /** Reads the whole request body, failing when it exceeds {@code maxBytes}. */
  public static byte[] readBody(HttpExchange exchange, int maxBytes) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new IOException("request body larger than " + maxBytes + " bytes");
      }
      return body;
    }
  }

  /** Sends {@code body} serialized as compact JSON followed by a newline, as Go's encoder does. */
  public static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] json = JSON.writeValueAsBytes(body);
    byte[] withNewline = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewline, 0, json.length);
    withNewline[json.length] = '\n';
    send(exchange, status, "application/json", withNewline);
  }

  /** Sends a complete body with a content type. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Sends a UTF-8 text body. */
  public static void sendText(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}
