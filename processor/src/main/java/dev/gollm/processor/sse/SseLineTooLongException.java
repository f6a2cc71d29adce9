package dev.gollm.processor.sse;

import java.io.IOException;

/**
 * An event-stream line grew past the configured bound. Thrown as soon as the bound is crossed, so
 * the parser never holds more than the bound plus one read buffer.
 */
public final class SseLineTooLongException extends IOException {
  private final int maxLineBytes;

  public SseLineTooLongException(int maxLineBytes) {
    super(
        "event-stream line longer than "
            + maxLineBytes
            + " bytes; expected lines ending with CR, LF or CRLF within that bound");
    this.maxLineBytes = maxLineBytes;
  }

  /** The bound that was exceeded, in bytes. */
  public int maxLineBytes() {
    return maxLineBytes;
  }
}
