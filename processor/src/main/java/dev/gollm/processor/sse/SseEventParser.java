package dev.gollm.processor.sse;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads {@code text/event-stream} from a byte stream by the WHATWG algorithm: CR, LF and CRLF line
 * ends (also split across reads), an optional leading UTF-8 BOM, comments, and the data, event, id
 * and retry fields. Not thread-safe: one reader thread pulls events with {@link #next()}.
 *
 * <p>Lines are bounded: a line longer than {@code maxLineBytes} fails with {@link
 * SseLineTooLongException} the moment it crosses the bound. So is an event: its data lines together
 * may hold no more than {@code maxLineBytes} either ({@link SseEventTooLargeException}). Reads go
 * through one reused buffer; a line is copied only when it spans reads.
 */
public final class SseEventParser {
  /** The default bound on one line: 1 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  private static final int READ_BUFFER_BYTES = 8192;
  private static final int INITIAL_LINE_BYTES = 512;
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte COLON = ':';
  private static final byte SPACE = ' ';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] DATA = ascii("data");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] ID = ascii("id");
  private static final byte[] RETRY = ascii("retry");

  private final InputStream in;
  private final int maxLineBytes;
  private final Runnable onBytes;

  private final byte[] readBuffer = new byte[READ_BUFFER_BYTES];
  private int readPos;
  private int readLimit;
  private boolean eof;

  // The part of the current line that arrived in earlier reads.
  private byte[] pending = new byte[INITIAL_LINE_BYTES];
  private int pendingLength;
  // The last line ended with CR: an LF right after it (maybe in the next read) ends nothing.
  private boolean swallowLf;
  private boolean firstLine = true;

  private final StringBuilder data = new StringBuilder();
  // UTF-8 bytes of the data lines of the event being read, each with its LF.
  private long dataBytes;
  private String eventType = "";
  private String lastEventId = "";
  private Duration retry;

  /**
   * @param in the response body; the parser does not close it
   * @param maxLineBytes the longest accepted line in bytes, without its line end
   * @param onBytes run after every read that delivered bytes (comments and partial lines included):
   *     the stream's liveness signal
   */
  public SseEventParser(InputStream in, int maxLineBytes, Runnable onBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.maxLineBytes = maxLineBytes;
    this.onBytes = Objects.requireNonNull(onBytes, "onBytes");
  }

  /** A parser with the default line bound and no liveness signal. */
  public SseEventParser(InputStream in) {
    this(in, DEFAULT_MAX_LINE_BYTES, () -> {});
  }

  /**
   * Blocks until the next event is dispatched. Returns null at the end of the stream; an event
   * still incomplete there is discarded, as the specification requires.
   *
   * @throws SseLineTooLongException when a line crosses the bound
   * @throws IOException when reading fails
   */
  public SseEvent next() throws IOException {
    while (true) {
      if (readPos == readLimit) {
        if (eof || !fill()) {
          return null;
        }
      }
      SseEvent event = scan();
      if (event != null) {
        return event;
      }
    }
  }

  /** The stream's reconnection time as last set by a {@code retry:} field, or null. */
  public Duration retry() {
    return retry;
  }

  /** The stream's last event id; empty when none was set. */
  public String lastEventId() {
    return lastEventId;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(readBuffer, 0, readBuffer.length);
    } while (n == 0); // a blocking stream never returns 0 for a non-empty buffer; stay safe
    if (n < 0) {
      eof = true;
      return false;
    }
    readPos = 0;
    readLimit = n;
    onBytes.run();
    return true;
  }

  /** Consumes buffered bytes up to the end of the first line that dispatches an event. */
  private SseEvent scan() throws IOException {
    int lineStart = readPos;
    for (int i = readPos; i < readLimit; i++) {
      byte b = readBuffer[i];
      if (swallowLf) {
        swallowLf = false;
        if (b == LF) {
          lineStart = i + 1;
          continue;
        }
      }
      if (b == LF || b == CR) {
        swallowLf = b == CR;
        readPos = i + 1;
        SseEvent event = endLine(lineStart, i);
        if (event != null) {
          return event;
        }
        lineStart = i + 1;
      }
    }
    appendPending(lineStart, readLimit);
    readPos = readLimit;
    return null;
  }

  private SseEvent endLine(int from, int to) throws IOException {
    byte[] line;
    int off;
    int len;
    if (pendingLength == 0) {
      checkBound(to - from);
      line = readBuffer;
      off = from;
      len = to - from;
    } else {
      appendPending(from, to);
      line = pending;
      off = 0;
      len = pendingLength;
      pendingLength = 0;
    }
    if (firstLine) {
      firstLine = false;
      if (startsWith(line, off, len, BOM)) {
        off += BOM.length;
        len -= BOM.length;
      }
    }
    return processLine(line, off, len);
  }

  private void appendPending(int from, int to) throws IOException {
    int len = to - from;
    if (len == 0) {
      return;
    }
    int needed = pendingLength + len;
    checkBound(needed);
    if (needed > pending.length) {
      int grown = (int) Math.min((long) maxLineBytes, Math.max(needed, 2L * pending.length));
      byte[] bigger = new byte[grown];
      System.arraycopy(pending, 0, bigger, 0, pendingLength);
      pending = bigger;
    }
    System.arraycopy(readBuffer, from, pending, pendingLength, len);
    pendingLength = needed;
  }

  private void checkBound(int lineBytes) throws SseLineTooLongException {
    if (lineBytes > maxLineBytes) {
      pendingLength = 0;
      throw new SseLineTooLongException(maxLineBytes);
    }
  }

  private SseEvent processLine(byte[] line, int off, int len) throws SseEventTooLargeException {
    if (len == 0) {
      return dispatch();
    }
    if (line[off] == COLON) {
      return null; // comment
    }
    int end = off + len;
    int colon = indexOf(line, off, end, COLON);
    int nameLength;
    int valueStart;
    if (colon < 0) {
      nameLength = len;
      valueStart = end;
    } else {
      nameLength = colon - off;
      valueStart = colon + 1;
      if (valueStart < end && line[valueStart] == SPACE) {
        valueStart++;
      }
    }
    int valueLength = end - valueStart;
    if (nameIs(line, off, nameLength, DATA)) {
      dataBytes += valueLength + 1;
      if (dataBytes > maxLineBytes + 1) {
        data.setLength(0);
        dataBytes = 0;
        throw new SseEventTooLargeException(maxLineBytes);
      }
      data.append(new String(line, valueStart, valueLength, UTF_8)).append('\n');
    } else if (nameIs(line, off, nameLength, EVENT)) {
      eventType = new String(line, valueStart, valueLength, UTF_8);
    } else if (nameIs(line, off, nameLength, ID)) {
      if (indexOf(line, valueStart, end, (byte) 0) < 0) {
        lastEventId = new String(line, valueStart, valueLength, UTF_8);
      }
    } else if (nameIs(line, off, nameLength, RETRY)) {
      setRetry(line, valueStart, end);
    }
    // Any other field name is ignored, as the specification requires.
    return null;
  }

  private void setRetry(byte[] line, int from, int to) {
    if (from == to) {
      return;
    }
    long millis = 0;
    for (int i = from; i < to; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        return; // not only ASCII digits: ignored
      }
      if (millis > (Long.MAX_VALUE - digit) / 10) {
        return; // too large to be a meaningful delay: ignored
      }
      millis = millis * 10 + digit;
    }
    retry = Duration.ofMillis(millis);
  }

  private SseEvent dispatch() {
    if (data.isEmpty()) {
      eventType = "";
      return null;
    }
    String payload = data.substring(0, data.length() - 1); // drop the last data line's LF
    data.setLength(0);
    dataBytes = 0;
    String type = eventType.isEmpty() ? SseEvent.DEFAULT_TYPE : eventType;
    eventType = "";
    return new SseEvent(type, payload, lastEventId, retry);
  }

  private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean nameIs(byte[] line, int off, int len, byte[] name) {
    return len == name.length && startsWith(line, off, len, name);
  }

  private static boolean startsWith(byte[] bytes, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
