package dev.gollm.processor.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read off its connection, framed as the head says (Content-Length, chunked, or to
 * the connection's end), and knowing whether it was read to its end: only then may the connection
 * serve another request.
 */
final class ResponseBody extends InputStream {
  private enum Framing {
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  /** Bounds a chunk-size line and each trailer line. */
  private static final int MAX_LINE = 4096;

  private final ConnectionInput in;
  private final Framing framing;
  private long remaining;
  private boolean atEnd;

  private ResponseBody(ConnectionInput in, Framing framing, long remaining) {
    this.in = in;
    this.framing = framing;
    this.remaining = remaining;
    this.atEnd = framing == Framing.LENGTH && remaining == 0;
  }

  /**
   * The body of a response with {@code head} to a request of {@code method}, read from {@code in}.
   */
  static ResponseBody of(ResponseHead head, String method, ConnectionInput in) {
    int status = head.status();
    if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
      return new ResponseBody(in, Framing.LENGTH, 0);
    }
    if (head.chunked()) {
      return new ResponseBody(in, Framing.CHUNKED, 0);
    }
    if (head.contentLength() >= 0) {
      return new ResponseBody(in, Framing.LENGTH, head.contentLength());
    }
    return new ResponseBody(in, Framing.UNTIL_CLOSE, 0);
  }

  /** Whether the connection can take another request: the body read to its framed end. */
  boolean leftConnectionReusable() {
    return atEnd && framing != Framing.UNTIL_CLOSE;
  }

  @Override
  public int read() throws IOException {
    if (!more()) {
      return -1;
    }
    if (framing == Framing.UNTIL_CLOSE) {
      int b = in.read();
      atEnd = b < 0;
      return b;
    }
    int b = in.read();
    if (b < 0) {
      throw closedEarly();
    }
    consumed(1);
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!more()) {
      return -1;
    }
    if (framing == Framing.UNTIL_CLOSE) {
      int n = in.read(buffer, offset, length);
      atEnd = n < 0;
      return n;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw closedEarly();
    }
    consumed(n);
    return n;
  }

  /** Whether any byte is left; reads the next chunk's size when the last one is used up. */
  private boolean more() throws IOException {
    if (atEnd) {
      return false;
    }
    if (framing == Framing.CHUNKED && remaining == 0) {
      remaining = chunkSize();
      if (remaining == 0) {
        skipTrailers();
        atEnd = true;
        return false;
      }
    }
    return true;
  }

  private void consumed(int n) throws IOException {
    remaining -= n;
    if (remaining == 0) {
      if (framing == Framing.LENGTH) {
        atEnd = true;
      } else {
        endOfChunk();
      }
    }
  }

  private EOFException closedEarly() {
    return new EOFException(
        "the connection closed " + remaining + " bytes before the end of the body");
  }

  @Override
  public int available() throws IOException {
    return atEnd || framing == Framing.UNTIL_CLOSE ? 0 : (int) Math.min(in.available(), remaining);
  }

  /** The connection is released by its exchange, not by closing the body. */
  @Override
  public void close() {}

  private long chunkSize() throws IOException {
    String line = line();
    int end = line.indexOf(';');
    String hex = (end < 0 ? line : line.substring(0, end)).strip();
    try {
      long size = Long.parseLong(hex, 16);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException("not a chunk size: \"" + hex + "\"");
  }

  private void endOfChunk() throws IOException {
    if (!line().isEmpty()) {
      throw new IOException("a chunk longer than its size");
    }
  }

  private void skipTrailers() throws IOException {
    while (!line().isEmpty()) {
      // Trailer fields carry nothing the processor reads.
    }
  }

  private String line() throws IOException {
    String line = in.line(MAX_LINE, "a chunk line longer than " + MAX_LINE + " bytes");
    if (line == null) {
      throw new EOFException("the connection closed in the middle of a chunked body");
    }
    return line;
  }
}
