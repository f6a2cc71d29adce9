package dev.gollm.processor.sse;

import java.io.IOException;

/**
 * The data of one event-stream event, all its data lines together, grew past the bound of a line.
 * Thrown as soon as the bound is crossed, so a stream of short data lines that never ends its event
 * cannot make the parser hold more than the bound.
 */
public final class SseEventTooLargeException extends IOException {
  private final int maxEventBytes;

  public SseEventTooLargeException(int maxEventBytes) {
    super(
        "event-stream event data longer than "
            + maxEventBytes
            + " bytes; expected events ended by a blank line within that bound");
    this.maxEventBytes = maxEventBytes;
  }

  /** The bound that was exceeded, in bytes. */
  public int maxEventBytes() {
    return maxEventBytes;
  }
}
