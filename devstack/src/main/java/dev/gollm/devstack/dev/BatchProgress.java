package dev.gollm.devstack.dev;

import java.time.Duration;

/**
 * A snapshot of a {@link Batch}: its size, how many tasks completed or failed, and the time since
 * submission.
 */
record BatchProgress(int total, int completed, int failed, Duration elapsed) {
  int done() {
    return completed + failed;
  }

  boolean isComplete() {
    return done() == total;
  }

  /** Finished tasks per second so far; 0 before any time passed. */
  double rate() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? done() / seconds : 0;
  }
}
