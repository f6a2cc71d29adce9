package dev.gollm.processor.http;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response's status line and headers, as far as the processor needs them: the first value of each
 * header (names in lower case), and what frames the body and decides the connection's reuse.
 *
 * @param http11 whether the server spoke HTTP/1.1 (1.0 connections are not kept)
 * @param headers the first value of each header, names in lower case
 * @param contentLength the Content-Length, or -1 when absent
 * @param chunked whether the body is chunked (Transfer-Encoding's last coding)
 * @param close whether the server asked to close the connection after this response
 */
record ResponseHead(
    boolean http11,
    int status,
    Map<String, String> headers,
    long contentLength,
    boolean chunked,
    boolean close) {

  private static final int MAX_HEADERS = 200;

  /** Bounds a response head: status line and headers together. */
  private static final int MAX_HEAD_BYTES = 64 << 10;

  /** Whether the server may take another request on this connection once the body is read. */
  boolean keepAlive() {
    return http11 && !close;
  }

  /**
   * Parses one head.
   *
   * @throws EOFException when the connection closed before or inside the head
   * @throws IOException when it is not an HTTP/1.x response head
   */
  static ResponseHead read(ConnectionInput in) throws IOException {
    HeadLines reader = new HeadLines(in);
    String statusLine = reader.line();
    if (statusLine == null) {
      throw new EOFException("the connection closed before the response");
    }
    // HTTP/1.1 200 OK — the reason phrase may be empty or absent.
    if (!statusLine.startsWith("HTTP/1.")
        || statusLine.length() < 12
        || statusLine.charAt(8) != ' '
        || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw new IOException("not an HTTP/1.x status line: " + excerpt(statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(statusLine, 9, 12, 10);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP/1.x status line: " + excerpt(statusLine), e);
    }
    boolean http11 = statusLine.charAt(7) != '0';
    Map<String, String> headers = new HashMap<>();
    List<String> contentLengths = new ArrayList<>(1);
    String transferEncoding = null;
    String connection = null;
    int count = 0;
    for (String line = reader.headerLine(); !line.isEmpty(); line = reader.headerLine()) {
      if (++count > MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " response headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not a response header: " + excerpt(line));
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      headers.putIfAbsent(name, value);
      switch (name) {
        case "content-length" -> contentLengths.add(value);
        case "transfer-encoding" ->
            transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
        case "connection" -> connection = connection == null ? value : connection + "," + value;
        default -> {}
      }
    }
    boolean chunked = transferEncoding != null && lastCodingIsChunked(transferEncoding);
    long length = transferEncoding == null ? contentLength(contentLengths) : -1;
    boolean close =
        (connection != null && hasToken(connection, "close"))
            // A body of another coding runs to the connection's end.
            || (transferEncoding != null && !chunked);
    return new ResponseHead(http11, status, headers, length, chunked, close);
  }

  private static long contentLength(List<String> values) throws IOException {
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        long n;
        try {
          n = Long.parseLong(part.strip());
        } catch (NumberFormatException e) {
          throw new IOException("not a Content-Length: " + excerpt(value), e);
        }
        if (n < 0 || (length >= 0 && n != length)) {
          throw new IOException("conflicting or negative Content-Length: " + excerpt(value));
        }
        length = n;
      }
    }
    return length;
  }

  private static boolean lastCodingIsChunked(String transferEncoding) {
    String[] codings = transferEncoding.split(",");
    return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
  }

  private static boolean hasToken(String value, String token) {
    for (String part : value.split(",")) {
      if (part.strip().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static String excerpt(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  /** Reads the head's lines, bounded in all by {@link #MAX_HEAD_BYTES}. */
  private static final class HeadLines {
    private static final String TOO_LONG = "response head longer than " + MAX_HEAD_BYTES + " bytes";

    private final ConnectionInput in;
    private int left = MAX_HEAD_BYTES;

    HeadLines(ConnectionInput in) {
      this.in = in;
    }

    /** One line without its CRLF (a bare LF is accepted); null when the stream ends first. */
    String line() throws IOException {
      String line = in.line(left, TOO_LONG);
      if (line != null) {
        left -= Math.min(left, line.length() + 2);
      }
      return line;
    }

    /** A header line, or the empty line that ends the head. */
    String headerLine() throws IOException {
      String line = line();
      if (line == null) {
        throw new EOFException("the connection closed in the middle of the response head");
      }
      return line;
    }
  }
}
