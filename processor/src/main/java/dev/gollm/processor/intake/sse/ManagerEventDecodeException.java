package dev.gollm.processor.intake.sse;

/**
 * An event's data was not a valid manager envelope. The caller logs it and keeps the connection:
 * one bad event never ends a stream.
 */
public final class ManagerEventDecodeException extends Exception {
  public ManagerEventDecodeException(String message) {
    super(message);
  }

  public ManagerEventDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
