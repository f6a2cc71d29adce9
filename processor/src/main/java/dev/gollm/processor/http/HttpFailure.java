package dev.gollm.processor.http;

import java.io.IOException;

/**
 * Why an HTTP exchange failed, by type: callers decide retry, reachability and messages from the
 * subclass, never from the text. The message names what failed and the underlying cause.
 */
public abstract sealed class HttpFailure extends IOException {
  private static final long serialVersionUID = 1L;

  private HttpFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** No connection: refused, unknown host, no route, or the connect timeout ran out. */
  public static final class Unreachable extends HttpFailure {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Connected, but a read waited longer than the call's timeout. */
  public static final class TimedOut extends HttpFailure {
    private static final long serialVersionUID = 1L;

    TimedOut(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The connection broke: closed or reset before or while the answer came. */
  public static final class Broken extends HttpFailure {
    private static final long serialVersionUID = 1L;

    Broken(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Ended on purpose: {@link HttpStream#abort()}, an interrupt of the calling thread, or a call on
   * a closed transport.
   */
  public static final class Aborted extends HttpFailure {
    private static final long serialVersionUID = 1L;

    Aborted(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
