package dev.gollm.processor.manager;

/**
 * A manager call that did not succeed, typed by what the caller should do about it: fix the
 * configuration ({@link Unauthorized}), drop the task ({@link LeaseLost}), try again later ({@link
 * Unavailable}) or give up on this call ({@link Rejected}).
 */
public abstract sealed class ManagerException extends RuntimeException {
  private ManagerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** 401: INTERNAL_API_KEY does not match the manager's; a configuration error. */
  public static final class Unauthorized extends ManagerException {
    public Unauthorized(String message) {
      super(message, null);
    }
  }

  /** 404 on a task call: the task is no longer this processor's (stolen, requeued, finished). */
  public static final class LeaseLost extends ManagerException {
    public LeaseLost(String message) {
      super(message, null);
    }
  }

  /** Connection failure, timeout, 5xx, 429 or an unexpected answer: worth retrying later. */
  public static final class Unavailable extends ManagerException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Any other 4xx: the manager refused the request as such; retrying it unchanged will not help.
   */
  public static final class Rejected extends ManagerException {
    public Rejected(String message) {
      super(message, null);
    }
  }
}
