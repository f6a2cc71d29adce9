package dev.gollm.processor.intake.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * Why one task-stream connection ended, and how far it got.
 *
 * @param reason the cause
 * @param connected the server answered 200 with {@code text/event-stream}
 * @param events server-sent events received (decodable or not)
 * @param connectedFor how long the stream was open; zero when it never connected
 * @param status the HTTP status for {@link Reason#UNAUTHORIZED} and {@link Reason#HTTP_ERROR}, else
 *     0
 * @param detail a human-readable explanation for logs
 */
public record StreamEnd(
    Reason reason,
    boolean connected,
    long events,
    Duration connectedFor,
    int status,
    String detail) {

  /** The causes of a connection's end. */
  public enum Reason {
    /** {@link TaskStreamClient#close()} was called: stop, do not reconnect. */
    CLOSED,
    /** The client ended the connection itself shortly before the server's maxDuration. */
    EXPIRED,
    /** The manager sent its {@code error} event (connection timeout exceeded). */
    SERVER_ENDED,
    /** The server closed the stream. */
    EOF,
    /** No byte arrived within the heartbeat timeout. */
    SILENT,
    /** The manager rejected the API key (401): a configuration problem. */
    UNAUTHORIZED,
    /** Any other status than 200, e.g. 404 or 503. */
    HTTP_ERROR,
    /**
     * 200, but not an event stream: most likely a wrong endpoint hitting the manager's catch-all.
     */
    NOT_EVENT_STREAM,
    /** The connection could not be made or the response headers did not arrive in time. */
    CONNECT_FAILED,
    /** Reading an open stream failed, or the stream broke the event-stream format. */
    BROKEN
  }

  public StreamEnd {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(connectedFor, "connectedFor");
    Objects.requireNonNull(detail, "detail");
  }

  /** True for the planned ends that simply call for a new connection at once. */
  public boolean isRoutine() {
    return reason == Reason.EXPIRED || reason == Reason.SERVER_ENDED;
  }
}
