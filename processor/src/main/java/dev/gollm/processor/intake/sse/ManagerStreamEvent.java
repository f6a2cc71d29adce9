package dev.gollm.processor.intake.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * One message of the manager's task stream, decoded from the JSON envelope {@code
 * {"type":...,"data":{...},"timestamp":...}} by {@link ManagerEventDecoder}.
 */
public sealed interface ManagerStreamEvent {

  /** The greeting every connection starts with: a {@code heartbeat} whose data has no uptime. */
  record Connected() implements ManagerStreamEvent {}

  /** The periodic keepalive; {@code uptime} is the time since this connection opened. */
  record Heartbeat(Duration uptime) implements ManagerStreamEvent {
    public Heartbeat {
      Objects.requireNonNull(uptime, "uptime");
    }
  }

  /**
   * A pending task was announced: a wake-up hint, never an assignment (claim decides who works).
   * Nothing of it is used, so every field is null when the event leaves it out.
   *
   * @param ollamaParams the double-encoded JSON string of generation parameters, or null
   */
  record TaskAvailable(String taskId, Integer priority, String productData, String ollamaParams)
      implements ManagerStreamEvent {}

  /**
   * The manager's {@code error} event, sent once the connection outlived its maxDuration; the
   * stream stays open but carries no more heartbeats, so the client reconnects.
   *
   * @param maxDuration the server's limit for this connection, or null when the event omits it
   */
  record StreamError(String message, Duration maxDuration) implements ManagerStreamEvent {
    public StreamError {
      Objects.requireNonNull(message, "message");
    }
  }

  /** An envelope of a type this processor does not know; tolerated and ignored. */
  record Unknown(String type) implements ManagerStreamEvent {
    public Unknown {
      Objects.requireNonNull(type, "type");
    }
  }
}
