package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * One change of a task's owner or status in the manager's database, as {@link LeaseLog} records it.
 *
 * @param taskId the task
 * @param oldStatus its status before the change
 * @param newStatus its status after it
 * @param oldOwner its {@code processor_id} before (null when none)
 * @param newOwner its {@code processor_id} after (null when none)
 * @param oldHeartbeatAt its {@code heartbeat_at} before, epoch ms (null when none)
 * @param atMillis when the change was written, epoch ms
 */
record LeaseEvent(
    String taskId,
    TaskStatus oldStatus,
    TaskStatus newStatus,
    String oldOwner,
    String newOwner,
    Long oldHeartbeatAt,
    long atMillis) {

  /** What the manager did, told apart by what changed. */
  enum Kind {
    /** pending → processing. */
    CLAIM,
    /** The owner changed, the status did not: work-steal's update (it sets no status). */
    STEAL,
    /** processing → pending: a requeue, by the manager's cleanup or a processor. */
    REQUEUE,
    /** → completed or failed. */
    FINISH,
    /** Anything else (e.g. a complete of a pending task). */
    OTHER
  }

  LeaseEvent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(oldStatus, "oldStatus");
    Objects.requireNonNull(newStatus, "newStatus");
  }

  Kind kind() {
    if (oldStatus == newStatus) {
      return newOwner != null && !newOwner.equals(oldOwner) ? Kind.STEAL : Kind.OTHER;
    }
    if (oldStatus == TaskStatus.PENDING && newStatus == TaskStatus.PROCESSING) {
      return Kind.CLAIM;
    }
    if (oldStatus == TaskStatus.PROCESSING && newStatus == TaskStatus.PENDING) {
      return Kind.REQUEUE;
    }
    if (newStatus == TaskStatus.COMPLETED || newStatus == TaskStatus.FAILED) {
      return Kind.FINISH;
    }
    return Kind.OTHER;
  }

  /**
   * Whether the task was stealable, by the heartbeat rule, when this change was written: processing
   * with a heartbeat strictly older than {@code stealAfter}. A steal that hit a task no longer
   * stealable acted on a stale select: the task had been stolen (double hand-out), heartbeated or
   * finished since.
   */
  boolean wasStealable(Duration stealAfter) {
    return oldStatus == TaskStatus.PROCESSING
        && oldHeartbeatAt != null
        && oldHeartbeatAt < atMillis - stealAfter.toMillis();
  }

  /**
   * When the task became stealable by the heartbeat rule: its last heartbeat + {@code stealAfter}.
   */
  long stealableAtMillis(Duration stealAfter) {
    if (oldHeartbeatAt == null) {
      throw new IllegalStateException("task " + taskId + " had no heartbeat before " + this);
    }
    return oldHeartbeatAt + stealAfter.toMillis();
  }
}
