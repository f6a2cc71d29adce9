package dev.gollm.processor.lease;

import dev.gollm.processor.cancel.CancelSignal;

/**
 * One task this processor holds on the manager, from claim to release. Its {@link #cancel()} signal
 * stops the task's work when the lease is lost or the processor shuts down; its {@link #state()}
 * changes only through the {@link LeaseLedger}.
 */
public final class Lease {
  private final ClaimedTask task;
  private final long sequence;
  private final long claimedNanos;
  private final CancelSignal cancel = new CancelSignal();
  private volatile LeaseState state;

  Lease(ClaimedTask task, long sequence, long claimedNanos, LeaseState state) {
    this.task = task;
    this.sequence = sequence;
    this.claimedNanos = claimedNanos;
    this.state = state;
  }

  public ClaimedTask task() {
    return task;
  }

  public String taskId() {
    return task.id();
  }

  /** Admission order, to serve equal priorities first come, first served. */
  public long sequence() {
    return sequence;
  }

  /** The scheduler's {@code nanoTime()} at admission, for measuring the whole task's time. */
  public long claimedNanos() {
    return claimedNanos;
  }

  public CancelSignal cancel() {
    return cancel;
  }

  public LeaseState state() {
    return state;
  }

  void state(LeaseState next) {
    state = next;
  }

  @Override
  public String toString() {
    return "Lease[" + task.id() + ", " + state + "]";
  }
}
