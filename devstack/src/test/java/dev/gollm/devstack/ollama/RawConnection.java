package dev.gollm.devstack.ollama;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain socket speaking HTTP/1.1, for what an HTTP client hides: whether any byte arrived, and
 * closing the connection in the middle of a response.
 */
final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Opens a connection and sends a POST with a JSON body. */
  static RawConnection post(OllamaSimulator sim, String path, String json) {
    try {
      Socket s = new Socket("127.0.0.1", sim.port());
      s.setSoTimeout((int) SimClient.TIMEOUT.toMillis());
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Connection: close\r\nContent-Length: "
              + body.length
              + "\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      return new RawConnection(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code marker} has arrived; returns everything received so far. */
  String readUntil(String marker) throws IOException {
    byte[] buf = new byte[4096];
    while (!text().contains(marker)) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection ended before '" + marker + "' arrived: " + text());
      }
      received.write(buf, 0, n);
    }
    return text();
  }

  /** Reads until the server closes the connection; returns everything received. */
  String readToEnd() throws IOException {
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) >= 0; ) {
      received.write(buf, 0, n);
    }
    return text();
  }

  /** Whether nothing at all arrives within {@code wait} (a lower bound on silence, never flaky). */
  boolean silentFor(Duration wait) throws IOException {
    int old = socket.getSoTimeout();
    socket.setSoTimeout((int) wait.toMillis());
    try {
      int b = in.read();
      if (b >= 0) {
        received.write(b);
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(old);
    }
  }

  String text() {
    return received.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
