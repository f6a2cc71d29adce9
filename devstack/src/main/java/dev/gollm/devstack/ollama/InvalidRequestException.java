package dev.gollm.devstack.ollama;

/** A request body or option value that cannot be accepted; the message names the field. */
public final class InvalidRequestException extends IllegalArgumentException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
