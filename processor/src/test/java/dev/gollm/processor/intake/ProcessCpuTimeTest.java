package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTimeTest {
  @Test
  void utimeAndStimeAreCountedFromTheCommandNamesLastParenthesis() {
    String stat =
        "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 21712 0 3 0 123 45 0 0 20 0 31 0 5120"
            + " 3768553472 13514 18446744073709551615 1 1 0 0 0 0 0 4096 17102 0 0 0 17 1 0 0";

    assertThat(ProcessCpuTime.parse(stat)).isEqualTo((123 + 45) * 10_000_000L);
  }

  @Test
  void aLineOfAnotherShapeTellsNothing() {
    assertThat(ProcessCpuTime.parse("4242 (java) S 1 2 3")).isEqualTo(-1);
    assertThat(ProcessCpuTime.parse("4242 (java) S 1 4242 4242 0 -1 4194560 1 0 3 0 x 45 0"))
        .isEqualTo(-1);
    assertThat(ProcessCpuTime.parse("")).isEqualTo(-1);
  }

  @Test
  void thisProcessHasUsedSomeCpuTime() {
    assertThat(ProcessCpuTime.nanos()).isNotNegative();
  }
}
