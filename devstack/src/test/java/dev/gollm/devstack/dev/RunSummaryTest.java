package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The figures and table of a synthetic run, and a batch's bookkeeping. */
class RunSummaryTest {
  @Test
  void percentilesAreNearestRank() {
    List<Duration> times = IntStream.rangeClosed(1, 20).mapToObj(Duration::ofSeconds).toList();

    assertThat(RunSummary.percentile(times, 50)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RunSummary.percentile(times, 95)).isEqualTo(Duration.ofSeconds(19));
    assertThat(RunSummary.percentile(List.of(Duration.ofMillis(7)), 95))
        .isEqualTo(Duration.ofMillis(7));
    assertThat(RunSummary.percentile(List.of(), 50)).isEqualTo(Duration.ZERO);
  }

  @Test
  void tableShowsCountsWallTimeThroughputAndTaskTimes() {
    RunSummary summary =
        RunSummary.of(
            new BatchProgress(4, 3, 1, Duration.ofSeconds(2)),
            List.of(
                Duration.ofMillis(900),
                Duration.ofMillis(300),
                Duration.ofMillis(1500),
                Duration.ofMillis(600)));

    assertThat(summary.table())
        .contains(
            "  │ tasks         │ 4                            │",
            "  │ failed        │ 1                            │",
            "  │ wall time     │ 2.0 s                        │",
            "  │ throughput    │ 2.0 tasks/s                  │",
            "  │ task time p50 │ 600 ms  (submit to complete) │",
            "  │ task time p95 │ 1.5 s                        │");
  }

  @Test
  void aBatchCountsEachOfItsTasksOnceAndItsTimeEndsWithTheLast() {
    Batch batch = new Batch(List.of("a", "b"), 1_000, 0);

    assertThat(batch.finish("a", true, 1_400, 500_000_000)).isTrue();
    assertThat(batch.finish("a", true, 1_500, 600_000_000)).as("again").isFalse();
    assertThat(batch.finish("other", true, 1_500, 600_000_000)).as("not in batch").isFalse();
    assertThat(batch.progress(800_000_000).isComplete()).isFalse();
    assertThat(batch.finish("b", false, 2_000, 1_000_000_000)).isTrue();

    assertThat(batch.progress(5_000_000_000L))
        .isEqualTo(new BatchProgress(2, 1, 1, Duration.ofSeconds(1)));
    assertThat(batch.taskTimes()).containsExactly(Duration.ofMillis(400), Duration.ofMillis(1000));
  }

  @Test
  void abbreviationKeepsOneLineAndCutsWithAnEllipsis() {
    assertThat(Text.abbreviate("  two\n lines\tand   tabs ", 40)).isEqualTo("two lines and tabs");
    assertThat(Text.abbreviate("Керамическая кружка ручной работы", 12)).isEqualTo("Керамическа…");
    assertThat(Text.abbreviate(null, 5)).isEqualTo("(empty)");
  }
}
