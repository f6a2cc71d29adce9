package dev.gollm.devstack.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks {@code devstack dev} submitted together, and how far they got: which finished, how, and
 * how long each took from submission to its accepted complete call. Thread-safe.
 */
final class Batch {
  private final Set<String> members;
  private final Set<String> finishedIds = new HashSet<>();
  private final long submittedAtMillis;
  private final long submittedAtNanos;
  private final List<Duration> taskTimes = new ArrayList<>();
  private int completed;
  private int failed;
  private long lastFinishNanos;

  /**
   * @param ids the tasks' ids
   * @param submittedAtMillis wall-clock time of the submission (the manager's clock)
   * @param submittedAtNanos {@link System#nanoTime()} at the submission
   */
  Batch(List<String> ids, long submittedAtMillis, long submittedAtNanos) {
    this.members = Set.copyOf(ids);
    this.submittedAtMillis = submittedAtMillis;
    this.submittedAtNanos = submittedAtNanos;
    this.lastFinishNanos = submittedAtNanos;
  }

  /** Whether this task belongs to the batch. */
  boolean contains(String id) {
    return members.contains(id);
  }

  /**
   * Records that a task of the batch finished; false (and nothing recorded) when the task is not in
   * the batch or already finished.
   *
   * @param succeeded completed rather than failed
   * @param finishedAtMillis wall-clock time of the complete call
   * @param nowNanos {@link System#nanoTime()} now
   */
  synchronized boolean finish(String id, boolean succeeded, long finishedAtMillis, long nowNanos) {
    if (!members.contains(id) || !finishedIds.add(id)) {
      return false;
    }
    if (succeeded) {
      completed++;
    } else {
      failed++;
    }
    taskTimes.add(Duration.ofMillis(Math.max(0, finishedAtMillis - submittedAtMillis)));
    lastFinishNanos = nowNanos;
    return true;
  }

  /** How far the batch is; elapsed time runs until the last task finished. */
  synchronized BatchProgress progress(long nowNanos) {
    long end = completed + failed == members.size() ? lastFinishNanos : nowNanos;
    return new BatchProgress(
        members.size(), completed, failed, Duration.ofNanos(Math.max(0, end - submittedAtNanos)));
  }

  /** Submission-to-completion time of every finished task, in finishing order. */
  synchronized List<Duration> taskTimes() {
    return List.copyOf(taskTimes);
  }
}
