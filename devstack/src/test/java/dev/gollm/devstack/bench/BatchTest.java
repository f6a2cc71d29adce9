package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.SlotTimeline.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {
  private static final long MS = 1_000_000;

  /** A batch of {@code tasks} on {@code concurrency} slots, done in {@code makespanS}. */
  private static Batch batch(int tasks, int concurrency, double makespanS, long lost) {
    return new Batch(
        tasks,
        concurrency,
        makespanS,
        lost,
        0,
        0,
        3.5,
        new SlotTimeline(List.of(new Span(0, 0, 100 * MS), new Span(0, 0, 200 * MS))),
        (long) (makespanS * 1e9),
        0.2,
        0.1,
        1.5,
        0.05,
        0.02);
  }

  @Test
  void theIdealIsEverySlotBusyWithHundredMillisecondTasks() {
    Batch b = batch(200, 4, 5.5, 0);

    assertThat(b.idealMakespanS()).isEqualTo(5.0);
    assertThat(b.idealThroughput()).isEqualTo(40.0);
    assertThat(b.throughput()).isEqualTo(200 / 5.5);
  }

  @Test
  void throughputCountsOnlyTheTasksThatCompleted() {
    Batch b = batch(100, 2, 10, 20);

    assertThat(b.throughput()).isEqualTo(8.0);
  }

  @Test
  void coresFiguresCarryThePrefixAndScenario() {
    List<Figure> figures = batch(10, 1, 1, 0).coresFigures("fleet", "4 fleet");

    assertThat(figures)
        .extracting(Figure::id)
        .containsExactly("fleet_cores_processors", "fleet_cores_devstack", "fleet_cores_machine");
    assertThat(figures).allSatisfy(f -> assertThat(f.scenario()).isEqualTo("4 fleet"));
    assertThat(figures).extracting(Figure::value).containsExactly(0.2, 0.1, 1.5);
  }

  @Test
  void theUtilizationPanelEndsPastTheLaterOfMakespanAndIdeal() {
    Chart.Panel late = batch(20, 2, 1.2, 0).utilizationPanel("t", 2);
    Chart.Panel early = batch(40, 2, 1.0, 0).utilizationPanel("t", 2);

    assertThat(late.xMax()).isCloseTo(1.2 * 1.05, within());
    assertThat(early.xMax()).isCloseTo(2.0 * 1.05, within());
  }

  @Test
  void theUtilizationPanelBinsAreAtLeastOneHundredMillisecondsAndItsIdealStepsDownAtTheIdeal() {
    Chart.Panel p = batch(20, 2, 1.0, 0).utilizationPanel("t", 2);

    Chart.Series measured = p.series().get(0);
    assertThat(measured.name()).isEqualTo("measured (100 ms bins)");
    assertThat(measured.points()).hasSize(10);
    // Both slots busy for the first 100 ms, one of them up to 200 ms, then none.
    assertThat(measured.points().get(0).y()).isEqualTo(1.0);
    assertThat(measured.points().get(1).y()).isEqualTo(0.5);
    assertThat(measured.points().get(2).y()).isEqualTo(0.0);
    assertThat(p.series().get(1).points())
        .containsExactly(new Chart.XY(0, 1), new Chart.XY(1.0, 1), new Chart.XY(1.0, 0));
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
