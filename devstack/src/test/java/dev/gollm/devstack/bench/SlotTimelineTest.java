package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.bench.SlotTimeline.Span;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotTimelineTest {
  private static final long MS = 1_000_000;

  @Test
  void withOneWorkerEachGapIsTheNextArrivalMinusThePreviousEnd() {
    SlotTimeline t =
        new SlotTimeline(
            List.of(
                new Span(0, 0, 20 * MS),
                new Span(23 * MS, 23 * MS, 43 * MS),
                new Span(44 * MS, 44 * MS, 64 * MS)));

    assertThat(t.refillGapsMillis()).containsExactly(3.0, 1.0);
  }

  @Test
  void initialArrivalsHaveNoEndBeforeThemAndAreSkipped() {
    SlotTimeline t =
        new SlotTimeline(
            List.of(
                new Span(0, 0, 100 * MS),
                new Span(1 * MS, 1 * MS, 101 * MS),
                new Span(105 * MS, 105 * MS, 205 * MS)));

    assertThat(t.refillGapsMillis()).containsExactly(5.0);
  }

  @Test
  void endsAndArrivalsArePairedFirstInFirstOut() {
    // Two workers: ends at 100 and 101, next arrivals at 103 and 102.
    SlotTimeline t =
        new SlotTimeline(
            List.of(
                new Span(0, 0, 100 * MS),
                new Span(0, 0, 101 * MS),
                new Span(103 * MS, 103 * MS, 200 * MS),
                new Span(102 * MS, 102 * MS, 200 * MS)));

    assertThat(t.refillGapsMillis()).containsExactly(2.0, 2.0);
  }

  @Test
  void anArrivalAtTheSameInstantAsAnEndPairsWithIt() {
    SlotTimeline t =
        new SlotTimeline(List.of(new Span(0, 0, 10 * MS), new Span(10 * MS, 10 * MS, 20 * MS)));

    assertThat(t.refillGapsMillis()).containsExactly(0.0);
  }

  @Test
  void utilizationIsTheBusyShareOfAllSlotsPerBin() {
    // 2 slots; one busy 0..100 ms, the other 50..100 ms.
    SlotTimeline t =
        new SlotTimeline(List.of(new Span(0, 0, 100 * MS), new Span(40 * MS, 50 * MS, 100 * MS)));

    List<SlotTimeline.Point> points = t.utilization(2, 0, 100 * MS, Duration.ofMillis(50));

    assertThat(points).hasSize(2);
    assertThat(points.get(0).busy()).isEqualTo(0.5);
    assertThat(points.get(0).seconds()).isEqualTo(0.025);
    assertThat(points.get(1).busy()).isEqualTo(1.0);
    assertThat(t.busyShare(2, 0, 100 * MS)).isEqualTo(0.75);
  }

  @Test
  void serviceTimeRunsFromSlotToEnd() {
    SlotTimeline t = new SlotTimeline(List.of(new Span(0, 5 * MS, 105 * MS)));

    assertThat(t.serviceMillis()).containsExactly(100.0);
  }

  @Test
  void aSpanMustNotEndBeforeItStarts() {
    assertThatThrownBy(() -> new Span(10, 5, 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arrival <= start <= end");
  }
}
