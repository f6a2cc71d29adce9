package dev.gollm.devstack.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a finished synthetic run: counts, wall time, throughput, and the 50th and 95th
 * percentile of the time from submission to completion.
 */
record RunSummary(
    int tasks, int completed, int failed, Duration wallTime, Duration p50, Duration p95) {

  /** The summary of a batch's final progress and its tasks' times. */
  static RunSummary of(BatchProgress progress, List<Duration> taskTimes) {
    List<Duration> sorted = new ArrayList<>(taskTimes);
    sorted.sort(null);
    return new RunSummary(
        progress.total(),
        progress.completed(),
        progress.failed(),
        progress.elapsed(),
        percentile(sorted, 50),
        percentile(sorted, 95));
  }

  /** The nearest-rank percentile of sorted values; zero for none. */
  static Duration percentile(List<Duration> sorted, int percent) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Finished tasks per second of wall time. */
  double throughput() {
    double seconds = wallTime.toNanos() / 1e9;
    return seconds > 0 ? (completed + failed) / seconds : 0;
  }

  /** The summary as an aligned two-column table, one line per figure. */
  List<String> table() {
    List<String[]> rows =
        List.of(
            new String[] {"tasks", Integer.toString(tasks)},
            new String[] {"completed", Integer.toString(completed)},
            new String[] {"failed", Integer.toString(failed)},
            new String[] {"wall time", Text.seconds(wallTime)},
            new String[] {"throughput", Text.rate(throughput()) + " tasks/s"},
            new String[] {"task time p50", Text.seconds(p50) + "  (submit to complete)"},
            new String[] {"task time p95", Text.seconds(p95)});
    List<String> lines = new ArrayList<>();
    lines.add("  ┌───────────────┬──────────────────────────────┐");
    for (String[] row : rows) {
      lines.add(String.format(Locale.ROOT, "  │ %-13s │ %-28s │", row[0], row[1]));
    }
    lines.add("  └───────────────┴──────────────────────────────┘");
    return lines;
  }
}
