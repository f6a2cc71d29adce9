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
          return len == 0 ? null : decode(line, 0, len);
        }
      }
      // Scanned and copied in runs, not byte by byte: a freshly started processor runs this
      // interpreted for every line of every answer.
      int start = chunkPos;
      int end = start;
      while (end < chunkLen && chunk[end] != '\n') {
        end++;
      }
      int n = end - start;
      if (len + n > maxLineBytes) {
        throw new IOException("line longer than " + maxLineBytes + " bytes");
      }
      chunkPos = end < chunkLen ? end + 1 : chunkLen;
      if (end < chunkLen && len == 0) {
        return decode(chunk, start, n);
      }
      if (len + n > line.length) {
        line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(len + n, line.length * 2)));
      }
      System.arraycopy(chunk, start, line, len, n);
      len += n;
      if (end < chunkLen) {
        return decode(line, 0, len);
      }
    }
  }

  private static String decode(byte[] bytes, int start, int len) {
    if (len > 0 && bytes[start + len - 1] == '\r') {
      len--;
    }
    return new String(bytes, start, len, StandardCharsets.UTF_8);
  }
}
