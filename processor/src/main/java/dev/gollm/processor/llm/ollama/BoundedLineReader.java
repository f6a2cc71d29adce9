package dev.gollm.processor.llm.ollama;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads LF-terminated UTF-8 lines from a stream, refusing lines longer than a bound. */
final class BoundedLineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[8192];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1024];

  BoundedLineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line without its terminator (a trailing CR is dropped too), or null at the end. */
  String readLine() throws IOException {
    int len = 0;
    while (true) {
      if (chunkPos == chunkLen) {
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          return len == 0 ? null : decode(len);
        }
      }
      byte b = chunk[chunkPos++];
      if (b == '\n') {
        return decode(len);
      }
      if (len == maxLineBytes) {
        throw new IOException("line longer than " + maxLineBytes + " bytes");
      }
      if (len == line.length) {
        line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
      }
      line[len++] = b;
    }
  }

  private String decode(int len) {
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    return new String(line, 0, len, StandardCharsets.UTF_8);
  }
}
