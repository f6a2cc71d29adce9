package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleAndFleetTest {
  private static Batch batch(int tasks, int concurrency, double makespanS, long lost, long dup) {
    return new Batch(
        tasks,
        concurrency,
        makespanS,
        lost,
        dup,
        0,
        3,
        new SlotTimeline(List.of()),
        (long) (makespanS * 1e9),
        1,
        0.3,
        2,
        0,
        0);
  }

  @Test
  void oneProcessorHasOnlyAThroughputAgainstItsIdeal() {
    List<Figure> figures = Scale.figures(1, batch(60, 2, 3.0, 0, 0), Double.NaN);

    assertThat(figures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.id()).isEqualTo("scale_1_tasks_per_s");
              assertThat(f.label()).isEqualTo("1 × 2 workers: throughput");
              assertThat(f.value()).isEqualTo(20.0);
              assertThat(f.ideal()).isEqualTo(20.0);
            });
  }

  @Test
  void moreProcessorsAlsoHaveTheirGrowthOverOneAgainstTheirCount() {
    List<Figure> figures = Scale.figures(4, batch(400, 8, 6.25, 0, 0), 16.0);

    assertThat(figures)
        .extracting(Figure::id)
        .containsExactly("scale_4_tasks_per_s", "scale_4_growth");
    Figure growth = figures.get(1);
    assertThat(growth.value()).isEqualTo(4.0);
    assertThat(growth.ideal()).isEqualTo(4.0);
    assertThat(growth.scenario()).isEqualTo(Scale.NAME);
  }

  @Test
  void theFleetMissesItsTargetsOnASlowMakespanOrADuplicate() {
    List<Figure> figures = Fleet.figures(batch(320, 16, 2.2, 0, 1));

    assertThat(figures)
        .extracting(Figure::id)
        .containsExactly(
            "fleet_makespan_s",
            "fleet_duplicate_completions",
            "fleet_lost_tasks",
            "fleet_duplicate_generations");
    assertThat(figures.get(0).ideal()).isEqualTo(2.0);
    assertThat(figures)
        .extracting(Figure::verdict)
        .containsExactly(
            Figure.Verdict.MISS, Figure.Verdict.MISS, Figure.Verdict.PASS, Figure.Verdict.INFO);
  }

  @Test
  void aFleetWithinFivePercentOfTheIdealPasses() {
    assertThat(Fleet.figures(batch(320, 16, 2.1, 0, 0)).get(0).verdict())
        .isEqualTo(Figure.Verdict.PASS);
  }
}
