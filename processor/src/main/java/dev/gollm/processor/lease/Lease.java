package dev.gollm.processor.lease;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.manager.ManagerTask;

/**
 * One task this processor holds on the manager, from claim to report. Its {@link #cancel()} signal
 * stops the task's work when the lease is lost or the processor shuts down.
 */
public final class Lease {
  /** Where the task is in this processor. */
  public enum State {
    WAITING,
    RUNNING,
    /** Generation over; the outcome is being reported to the manager. */
    SETTLING
  }

  private final ManagerTask task;
  private final long sequence;
  private final long claimedNanos;
  private final CancelSignal cancel = new CancelSignal();
  private volatile State state = State.WAITING;
  private volatile boolean lost;
  private volatile boolean settling;

  Lease(ManagerTask task, long sequence, long claimedNanos) {
    this.task = task;
    this.sequence = sequence;
    this.claimedNanos = claimedNanos;
  }

  public ManagerTask task() {
    return task;
  }

  public String taskId() {
    return task.id();
  }

  /** Admission order, to serve equal priorities first come, first served. */
  public long sequence() {
    return sequence;
  }

  /** {@link System#nanoTime()} at admission, for measuring the whole task's time. */
  public long claimedNanos() {
    return claimedNanos;
  }

  public CancelSignal cancel() {
    return cancel;
  }

  public State state() {
    return state;
  }

  void state(State next) {
    state = next;
  }

  /**
   * Marks that the task's outcome is being reported (complete or requeue): from now on the manager
   * may rightly answer 404 to a heartbeat, and the report path handles a lost lease itself.
   */
  public void settling() {
    settling = true;
  }

  public boolean isSettling() {
    return settling;
  }

  /** True once the manager said the task is no longer ours. */
  public boolean isLost() {
    return lost;
  }

  /** Marks the lease lost and stops the task's work; nothing may be reported for it. */
  public void markLost(String why) {
    lost = true;
    cancel.cancel(why);
  }

  @Override
  public String toString() {
    return "Lease[" + task.id() + ", " + state + (lost ? ", lost" : "") + "]";
  }
}
