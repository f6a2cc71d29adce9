package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one response, either whole or as a stream whose headers go out with its first line (so a
 * request sends nothing at all before its first line, as Ollama's do). Remembers whether any byte
 * was sent, which decides how an error can still be reported.
 */
final class ExchangeWriter {
  private final HttpExchange exchange;
  private OutputStream body;

  ExchangeWriter(HttpExchange exchange) {
    this.exchange = exchange;
  }

  /** Whether the status line has been sent. */
  boolean started() {
    return body != null;
  }

  /**
   * Writes one piece of a 200 stream and flushes it to the client; the first call sends the
   * headers.
   *
   * @throws IOException when the client has gone away
   */
  void stream(String contentType, byte[] bytes) throws IOException {
    if (body == null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      body = exchange.getResponseBody();
    }
    body.write(bytes);
    body.flush();
  }

  /** Ends a stream cleanly. */
  void endStream() throws IOException {
    if (body != null) {
      body.close();
    }
  }

  /** Sends a whole response with a Content-Length. */
  void whole(int status, String contentType, byte[] bytes) throws IOException {
    body = OutputStream.nullOutputStream();
    HttpIo.send(exchange, status, contentType, bytes);
  }
}
