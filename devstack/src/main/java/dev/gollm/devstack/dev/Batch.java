package dev.gollm.devstack.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The tasks {@code devstack dev} submitted together, and how far they got: which finished, how, and
 * how long each took from submission to its accepted complete call. Thread-safe.
 */
final class Batch {
  private final Map<String, Boolean> finishedIds = new HashMap<>();
  private final Set<String> members;
  private final List<String> ids;
  private final long submittedAtMillis;
  private final long submittedAtNanos;
  private final List<Duration> taskTimes = new ArrayList<>();
  private final CompletableFuture<BatchProgress> finished = new CompletableFuture<>();
  private int completed;
  private int failed;
  private long lastFinishNanos;

  /**
   * @param ids the tasks' ids
   * @param submittedAtMillis wall-clock time of the submission (the manager's clock)
   * @param submittedAtNanos {@link System#nanoTime()} at the submission
   */
  Batch(List<String> ids, long submittedAtMillis, long submittedAtNanos) {
    this.ids = List.copyOf(ids);
    this.members = Set.copyOf(ids);
    this.submittedAtMillis = submittedAtMillis;
    this.submittedAtNanos = submittedAtNanos;
    this.lastFinishNanos = submittedAtNanos;
    ids.forEach(id -> finishedIds.put(id, false));
    if (ids.isEmpty()) {
      finished.complete(progress(submittedAtNanos));
    }
  }

  /** Whether this task belongs to the batch. */
  boolean contains(String id) {
    return members.contains(id);
  }

  int size() {
    return ids.size();
  }

  /**
   * Records that a task of the batch finished; false (and nothing recorded) when the task is not in
   * the batch or already finished.
   *
   * @param succeeded completed rather than failed
   * @param finishedAtMillis wall-clock time of the complete call
   * @param nowNanos {@link System#nanoTime()} now
   */
  boolean finish(String id, boolean succeeded, long finishedAtMillis, long nowNanos) {
    BatchProgress done;
    synchronized (this) {
      Boolean already = finishedIds.get(id);
      if (already == null || already) {
        return false;
      }
      finishedIds.put(id, true);
      if (succeeded) {
        completed++;
      } else {
        failed++;
      }
      taskTimes.add(Duration.ofMillis(Math.max(0, finishedAtMillis - submittedAtMillis)));
      lastFinishNanos = nowNanos;
      if (completed + failed < ids.size()) {
        return true;
      }
      done = progress(nowNanos);
    }
    finished.complete(done);
    return true;
  }

  /** Completes with the final progress once every task of the batch has finished. */
  CompletableFuture<BatchProgress> finished() {
    return finished;
  }

  /** How far the batch is; elapsed time runs until the last task finished. */
  synchronized BatchProgress progress(long nowNanos) {
    long end = completed + failed == ids.size() ? lastFinishNanos : nowNanos;
    return new BatchProgress(
        ids.size(), completed, failed, Duration.ofNanos(Math.max(0, end - submittedAtNanos)));
  }

  /** Submission-to-completion time of every finished task, in finishing order. */
  synchronized List<Duration> taskTimes() {
    return List.copyOf(taskTimes);
  }
}
