package dev.gollm.processor.lease;

import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.ollama.CancelSignal;
import java.time.Instant;

/**
 * One task this processor holds on the manager, from claim to report. Its {@link #cancel()} signal
 * stops the task's work when the lease is lost or the processor shuts down.
 */
public final class Lease {
  /** Where the task is in this processor. */
  public enum State {
    WAITING,
    RUNNING
  }

  private final ManagerTask task;
  private final long sequence;
  private final Instant claimedAt;
  private final long claimedNanos;
  private final CancelSignal cancel = new CancelSignal();
  private volatile State state = State.WAITING;
  private volatile boolean lost;
  private volatile boolean finishing;

  Lease(ManagerTask task, long sequence, Instant claimedAt, long claimedNanos) {
    this.task = task;
    this.sequence = sequence;
    this.claimedAt = claimedAt;
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

  public Instant claimedAt() {
    return claimedAt;
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

  /** True once the manager said the task is no longer ours. */
  public boolean isLost() {
    return lost;
  }

  /**
   * Marks that the task's outcome is being sent (a report or a hand-back). From then on a 404 to a
   * lease heartbeat may only mean that the outcome already landed; the sending call itself tells.
   */
  public void markFinishing() {
    finishing = true;
  }

  public boolean isFinishing() {
    return finishing;
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
