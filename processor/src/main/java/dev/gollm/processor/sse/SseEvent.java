package dev.gollm.processor.sse;

import java.time.Duration;

/**
 * One dispatched server-sent event, as the WHATWG event-stream algorithm defines it.
 *
 * @param event the event type; {@code "message"} when the stream named none
 * @param data the data lines joined with {@code "\n"}
 * @param id the stream's last event id at dispatch time; empty when the stream never set one
 * @param retry the stream's reconnection time as last set by a {@code retry:} field, or null
 */
public record SseEvent(String event, String data, String id, Duration retry) {
  /** The event type the specification assigns when no {@code event:} field was given. */
  public static final String DEFAULT_TYPE = "message";
}
