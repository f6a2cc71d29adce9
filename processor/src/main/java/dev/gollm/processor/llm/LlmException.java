package dev.gollm.processor.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
    private final Failure failure;
    private final Duration retryAfter;

    public Retryable(String message, Throwable cause) {
      this(Failure.OTHER, message, cause, null);
    }

    public Retryable(Failure failure, String message, Throwable cause) {
      this(failure, message, cause, null);
    }

    /**
     * @param retryAfter how long the server asked to be left alone (its Retry-After), or null
     */
    public Retryable(Failure failure, String message, Throwable cause, Duration retryAfter) {
      super(message, cause);
      this.failure = failure;
      this.retryAfter = retryAfter;
    }

    /** What went wrong, for routing around the server and for counting. */
    public Failure failure() {
      return failure;
    }

    /** The wait the server asked for, when it named one. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /** Kinds of retryable failure. */
  public enum Failure {
    /** The server is at capacity (429, 503). */
    BUSY,
    /** No connection: refused, reset before an answer, unknown host. */
    UNREACHABLE,
    /** The server failed (other 5xx, an error in the middle of a stream). */
    SERVER_ERROR,
    /** No complete answer in time, or a stream that went silent. */
    TIMEOUT,
    /** An answer that broke off or could not be read, streamed or whole. */
    BROKEN_STREAM,
    /** The server refused our credentials (401, 403): a configuration problem, not the task's. */
    UNAUTHORIZED,
    /** Anything else. */
    OTHER;

    /** The lower-case name used in metrics. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
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
