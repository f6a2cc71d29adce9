package dev.gollm.processor.sse;

import java.io.InputStream;

/** Serves fixed bytes at most {@code chunk} at a time, as a network read would split them. */
final class ChunkedInputStream extends InputStream {
  private final byte[] bytes;
  private final int chunk;
  private int pos;

  ChunkedInputStream(byte[] bytes, int chunk) {
    this.bytes = bytes;
    this.chunk = chunk;
  }

  @Override
  public int read() {
    return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (pos >= bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, chunk), bytes.length - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }
}
