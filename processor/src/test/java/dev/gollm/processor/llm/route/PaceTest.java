package dev.gollm.processor.llm.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaceTest {
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void aModelHasNoTypicalTimeUntilAGenerationOfItFinished() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));

    assertThat(pace.typical("a")).contains(Duration.ofMillis(100));
    assertThat(pace.typical("b")).isEmpty();
  }

  @Test
  void theTypicalTimeFollowsRecentGenerationsMost() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));
    pace.finished("a", Duration.ofMillis(200));

    // 100 + 0.2 × (200 − 100)
    assertThat(pace.typical("a")).contains(Duration.ofMillis(120));
  }

  @Test
  void busySlotsCountTheGenerationsTheyCouldFinishByADeadlineOnceFree() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));
    pace.taken(T0, "a"); // frees at 100 ms: two more by 300 ms
    pace.taken(T0.plusMillis(50), "a"); // frees at 150 ms: one more by 300 ms

    assertThat(pace.completionsBy(T0, T0.plusMillis(300), Duration.ofMillis(100))).isEqualTo(3);
  }

  @Test
  void aSlotOverdueCountsAsFreeingNow() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));
    pace.taken(T0, "a"); // due at 100 ms, still busy at 150 ms

    assertThat(pace.completionsBy(T0.plusMillis(150), T0.plusMillis(250), Duration.ofMillis(100)))
        .isEqualTo(1);
  }

  @Test
  void aBusySlotOfAnUntimedModelCountsNoCompletions() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));
    pace.taken(T0, "a");
    pace.taken(T0, "new");

    assertThat(pace.completionsBy(T0, T0.plusSeconds(10), Duration.ofMillis(100))).isZero();
  }

  @Test
  void aFreedSlotNoLongerCounts() {
    Pace pace = new Pace();
    pace.finished("a", Duration.ofMillis(100));
    Pace.Busy slot = pace.taken(T0, "a");

    pace.freed(slot);

    assertThat(pace.inUse()).isZero();
    assertThat(pace.completionsBy(T0, T0.plusSeconds(10), Duration.ofMillis(100))).isZero();
  }
}
