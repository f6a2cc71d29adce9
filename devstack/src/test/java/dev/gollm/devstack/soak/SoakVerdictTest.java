package dev.gollm.devstack.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
  private static final long MIB = 1L << 20;

  private static MemoryProbe.Reading heap(long mib) {
    return new MemoryProbe.Reading(mib * MIB, 100 * MIB, true);
  }

  @Test
  void passesWhenEveryCheckHolds() {
    SoakVerdict verdict = new SoakVerdict(true, 0, true, true, true);

    assertThat(verdict.pass()).isTrue();
    assertThat(verdict.describe()).isEqualTo("PASS");
  }

  @Test
  void aFailureNamesEveryCheckThatFailed() {
    SoakVerdict verdict = new SoakVerdict(false, 3, false, false, false);

    assertThat(verdict.pass()).isFalse();
    assertThat(verdict.describe())
        .isEqualTo(
            "FAIL (invariant) (3 tasks unfinished after the drain) (no recovery)"
                + " (heap grew beyond noise) (a processor did not exit 0)");
  }

  @Test
  void unfinishedTasksAloneFailTheRun() {
    assertThat(new SoakVerdict(true, 1, true, true, true).describe())
        .isEqualTo("FAIL (1 tasks unfinished after the drain)");
  }

  @Test
  void heapGrowthUpToSixteenMebibytesIsNoise() {
    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(20)), Map.of("soak-1", heap(36))))
        .isTrue();
    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(20)), Map.of("soak-1", heap(37))))
        .isFalse();
  }

  @Test
  void aLargeHeapMayGrowByHalf() {
    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(100)), Map.of("soak-1", heap(150))))
        .isTrue();
    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(100)), Map.of("soak-1", heap(151))))
        .isFalse();
  }

  @Test
  void aMissingReadingFails() {
    MemoryProbe.Reading unknown = new MemoryProbe.Reading(-1, -1, false);

    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(20)), Map.of("soak-1", unknown)))
        .isFalse();
    assertThat(SoakVerdict.heapHeld(Map.of("soak-1", heap(20)), Map.of())).isFalse();
  }
}
