package dev.gollm.processor.cancel;

import java.util.ArrayList;
import java.util.List;

/**
 * Cancels one task's work from another thread: whoever holds the work registers how to abort it
 * (close an HTTP stream, wake a wait), and {@link #cancel} runs those actions once.
 */
public final class CancelSignal {
  private final List<Runnable> actions = new ArrayList<>();
  private String reason;

  /** Cancels with a reason; only the first call has an effect. */
  public void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
  }

  public synchronized boolean isCancelled() {
    return reason != null;
  }

  /** The reason given to {@link #cancel}, or null. */
  public synchronized String reason() {
    return reason;
  }

  /**
   * Runs {@code action} on cancellation, or at once when already cancelled. Closing the returned
   * registration forgets the action.
   */
  public Registration onCancel(Runnable action) {
    synchronized (this) {
      if (reason == null) {
        actions.add(action);
        return () -> {
          synchronized (this) {
            actions.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> {};
  }

  /** Undoes an {@link #onCancel} registration. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
