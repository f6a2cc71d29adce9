package dev.gollm.devstack.manager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A task-stream connection read from a plain socket: the status line, headers and the chunked body
 * decoded by hand, so tests see exactly the bytes the server wrote. Reads time out after 20 s so a
 * broken server fails the test instead of hanging it.
 */
final class RawSseStream implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int chunkRemaining;
  private boolean eof;

  private RawSseStream(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    String statusLine = readLine();
    this.status = Integer.parseInt(statusLine.split(" ")[1]);
    String line;
    while (!(line = readLine()).isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
  }

  /** Opens {@code GET /api/internal/task-stream?query} with the server's key. */
  static RawSseStream open(ManagerServer server, String query) throws IOException {
    return open(server, query, "Bearer " + server.apiKey());
  }

  static RawSseStream open(ManagerServer server, String query, String authorization)
      throws IOException {
    URI base = server.baseUri();
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    String request =
        "GET /api/internal/task-stream?"
            + query
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + "\r\nAccept: text/event-stream\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
            + "\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new RawSseStream(socket);
  }

  int status() {
    return status;
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The next event block, {@code "data: ...\n\n"} included, or null at end of stream. */
  String nextEvent() throws IOException {
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    while (true) {
      int b = readBodyByte();
      if (b < 0) {
        return event.size() == 0 ? null : event.toString(StandardCharsets.UTF_8);
      }
      event.write(b);
      byte[] bytes = event.toByteArray();
      int n = bytes.length;
      if (n >= 2 && bytes[n - 1] == '\n' && bytes[n - 2] == '\n') {
        return event.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /** Every body byte read so far, de-chunked. */
  String bodySoFar() {
    return body.toString(StandardCharsets.UTF_8);
  }

  /** Reads until the server ends the stream; true when it did (rather than the read timing out). */
  boolean readToEnd() throws IOException {
    while (readBodyByte() >= 0) {
      // discard
    }
    return eof;
  }

  private int readBodyByte() throws IOException {
    if (eof) {
      return -1;
    }
    if (chunkRemaining == 0) {
      String sizeLine = readLine();
      if (sizeLine == null) {
        eof = true;
        return -1;
      }
      int size = Integer.parseInt(sizeLine.strip(), 16);
      if (size == 0) {
        readLine();
        eof = true;
        return -1;
      }
      chunkRemaining = size;
    }
    int b = in.read();
    if (b < 0) {
      eof = true;
      return -1;
    }
    chunkRemaining--;
    if (chunkRemaining == 0) {
      readLine();
    }
    body.write(b);
    return b;
  }

  /** A CRLF-terminated line without the CRLF; null at end of stream. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
