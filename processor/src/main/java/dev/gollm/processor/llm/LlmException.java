package dev.gollm.processor.llm;

/**
 * A generation or model call that did not succeed, typed by what the task should do: retry later
 * ({@link Retryable}), make the model available and retry ({@link ModelMissing}), fail the task
 * ({@link Permanent}), or stop because someone else decided so ({@link Cancelled}).
 */
public abstract sealed class LlmException extends RuntimeException {
  private LlmException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Busy (503), server errors, timeouts, stalls, broken streams, connection failures. */
  public static final class Retryable extends LlmException {
    public Retryable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Ollama does not have the model (404); a pull may fix it. */
  public static final class ModelMissing extends LlmException {
    public ModelMissing(String message) {
      super(message, null);
    }
  }

  /** The request itself is wrong (bad parameters, a model that cannot be pulled). */
  public static final class Permanent extends LlmException {
    public Permanent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The generation was cancelled from outside (lease lost, shutdown). */
  public static final class Cancelled extends LlmException {
    public Cancelled(String message) {
      super(message, null);
    }
  }
}
