package dev.gollm.processor.lease;

import dev.gollm.processor.cancel.CancelSignal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task this processor holds on the manager, from claim to release. Its {@link #cancel()} signal
 * stops the task's work when the lease is lost or the processor shuts down; its {@link #state()}
 * changes only through the {@link LeaseLedger}.
 */
public final class Lease {
  private static final long NEVER = Long.MIN_VALUE;

  private final ClaimedTask task;
  private final long sequence;
  private final long claimedNanos;
  private final CancelSignal cancel = new CancelSignal();
  private final AtomicLong ownedAsOf = new AtomicLong(NEVER);
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

  /**
   * Records that the manager held the task as ours when a call sent at {@code sentNanos} (the
   * scheduler's {@code nanoTime()} before sending: a claim or a heartbeat answered 200) reached it:
   * its {@code heartbeat_at} is no older than that.
   */
  public void ownedAsOf(long sentNanos) {
    ownedAsOf.accumulateAndGet(sentNanos, Math::max);
  }

  /** Forgets every proof of ownership: a heartbeat got 404 that could not mark the lease lost. */
  public void ownershipDoubted() {
    ownedAsOf.set(NEVER);
  }

  /**
   * Whether a call sent less than {@code window} before {@code nowNanos} found the task ours. The
   * manager takes a task away only once its heartbeat is older than its steal threshold (60 s) or
   * its cleanup's (5 min), so within a window well below those it is still ours.
   */
  public boolean ownedWithin(Duration window, long nowNanos) {
    long asOf = ownedAsOf.get();
    return asOf != NEVER && nowNanos - asOf < window.toNanos();
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
