package dev.gollm.processor.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A connection's input: a buffer over the socket's stream that also hands out the head's and the
 * chunked framing's lines whole. A line is found by scanning the buffer and made a string in one
 * step; read a byte at a time through a {@link java.io.BufferedInputStream} (a lock and a call per
 * byte), the heads alone were a quarter of a freshly started processor's CPU in its first tasks.
 */
final class ConnectionInput extends InputStream {
  private final InputStream in;
  private final byte[] buffer;
  private int pos;
  private int limit;

  ConnectionInput(InputStream in, int bufferSize) {
    this.in = in;
    this.buffer = new byte[bufferSize];
  }

  /**
   * The next line, without its LF and a CR right before it, as ISO-8859-1 text.
   *
   * @param maxBytes the most the line may hold, its terminator not counted
   * @param tooLong the message when it holds more
   * @return null when the stream ends where the line would begin
   * @throws EOFException when the stream ends inside the line
   * @throws IOException when the line holds more than {@code maxBytes}
   */
  String line(int maxBytes, String tooLong) throws IOException {
    ByteArrayOutputStream spanning = null; // the part of a line that arrived in earlier reads
    while (true) {
      if (pos == limit && !fill()) {
        if (spanning == null) {
          return null;
        }
        throw new EOFException("the connection closed in the middle of a line");
      }
      int start = pos;
      int end = start;
      while (end < limit && buffer[end] != '\n') {
        end++;
      }
      int held = spanning == null ? 0 : spanning.size();
      if (held + end - start > maxBytes + 1) { // + 1: the CR before the LF
        throw new IOException(tooLong);
      }
      pos = end < limit ? end + 1 : limit;
      if (end < limit && spanning == null) {
        return text(buffer, start, end, maxBytes, tooLong);
      }
      if (spanning == null) {
        spanning = new ByteArrayOutputStream(Math.max(64, 2 * (end - start)));
      }
      spanning.write(buffer, start, end - start);
      if (end < limit) {
        byte[] bytes = spanning.toByteArray();
        return text(bytes, 0, bytes.length, maxBytes, tooLong);
      }
    }
  }

  /** The bytes from {@code start} to {@code end} less a final CR, at most {@code maxBytes}. */
  private static String text(byte[] bytes, int start, int end, int maxBytes, String tooLong)
      throws IOException {
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    if (end - start > maxBytes) {
      throw new IOException(tooLong);
    }
    return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (pos == limit) {
      if (length >= buffer.length) {
        return in.read(into, offset, length); // a large read needs no copy through the buffer
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(length, limit - pos);
    System.arraycopy(buffer, pos, into, offset, n);
    pos += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return limit - pos + in.available();
  }

  /** Reads what the stream has into the empty buffer; false at its end. */
  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }
}
