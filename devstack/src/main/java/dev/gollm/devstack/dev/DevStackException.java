package dev.gollm.devstack.dev;

/** The dev stack cannot start or keep running; the message says why and what to do, for users. */
final class DevStackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DevStackException(String message) {
    super(message);
  }

  DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
