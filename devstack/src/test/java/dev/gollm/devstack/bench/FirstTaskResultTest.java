package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FirstTaskResultTest {
  private static final Instant SPAWN = Instant.parse("2026-11-30T10:00:00Z");

  private static Instant at(double seconds) {
    return SPAWN.plusMillis(Math.round(seconds * 1000));
  }

  private static Map<String, Figure> byId(List<Figure> figures) {
    return figures.stream().collect(Collectors.toMap(Figure::id, Function.identity()));
  }

  @Test
  void timesAreMeasuredFromTheSpawnAndFromTheTasksCreation() {
    FirstTaskResult r =
        new FirstTaskResult(
            SPAWN, at(0.4), at(0.41), at(3.6), Duration.ofMillis(3000), Duration.ofMillis(3000));

    assertThat(r.readyS()).isCloseTo(0.4, within(1e-9));
    assertThat(r.fromSpawnS()).isCloseTo(3.6, within(1e-9));
    assertThat(r.fromCreationS()).isCloseTo(3.19, within(1e-9));
  }

  @Test
  void withThePreloadTheTaskIsHeldToItsTargetFromCreation() {
    FirstTaskResult quick =
        new FirstTaskResult(
            SPAWN, at(3.4), at(3.41), at(3.55), Duration.ZERO, Duration.ofMillis(3000));
    FirstTaskResult paidTheLoad =
        new FirstTaskResult(
            SPAWN, at(0.4), at(0.41), at(3.6), Duration.ofMillis(3000), Duration.ofMillis(3000));

    Figure held =
        byId(quick.figures("10 first task", "preload", true, 0.1, ""))
            .get("first_task_preload_from_creation_s");
    Figure missed =
        byId(paidTheLoad.figures("10 first task", "preload", true, 0.1, ""))
            .get("first_task_preload_from_creation_s");

    assertThat(held.verdict()).isEqualTo(Figure.Verdict.PASS);
    assertThat(held.ideal()).isEqualTo(0.1);
    assertThat(missed.verdict()).isEqualTo(Figure.Verdict.MISS);
  }

  @Test
  void withoutThePreloadTheFiguresOnlyInform() {
    FirstTaskResult r =
        new FirstTaskResult(
            SPAWN, at(0.4), at(0.41), at(3.6), Duration.ofMillis(3000), Duration.ofMillis(3000));

    List<Figure> figures = r.figures("10 first task", "no_preload", false, 0.1, "");

    assertThat(figures).extracting(Figure::verdict).containsOnly(Figure.Verdict.INFO);
    assertThat(byId(figures).get("first_task_no_preload_generation_load_s").value())
        .isCloseTo(3.0, within(1e-9));
  }
}
