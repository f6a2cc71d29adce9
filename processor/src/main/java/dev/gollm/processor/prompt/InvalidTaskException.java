package dev.gollm.processor.prompt;

/** A task that cannot be run as given (bad ollama_params, empty product data); never retried. */
public final class InvalidTaskException extends RuntimeException {
  public InvalidTaskException(String message) {
    super(message);
  }
}
