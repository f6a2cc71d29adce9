package dev.gollm.devstack.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedAnswerTest {
  private static final GenerationOptions SEED_42 = GenerationOptions.NONE.withSeed(42L);

  @Test
  void startsWithTheDigestAndEchoesTheUserWordsInTurn() {
    SimulatedAnswer a =
        SimulatedAnswer.of("gemma2:1b", "sys", "red  mug\nblue", SEED_42, AnswerLength.fixed(6));

    assertThat(a.text())
        .isEqualTo(
            "sim-"
                + SimulatedAnswer.digest("gemma2:1b", "sys", "red  mug\nblue", SEED_42)
                + " red mug blue red mug");
    assertThat(a.pieces()).hasSize(6).element(1).isEqualTo(" red");
    assertThat(a.doneReason()).isEqualTo("stop");
  }

  @Test
  void theSameRequestAlwaysGetsTheSameAnswer() {
    assertThat(SimulatedAnswer.expectedText("gemma2:1b", "s", "u", SEED_42))
        .isEqualTo(SimulatedAnswer.expectedText("gemma2:1b", "s", "u", SEED_42));
  }

  @Test
  void modelSystemPromptUserTextAndEachSamplingOptionChangeTheDigest() {
    String base = SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42);

    assertThat(
            List.of(
                SimulatedAnswer.digest("gemma3:1b", "s", "u", SEED_42),
                SimulatedAnswer.digest("gemma2:1b", "t", "u", SEED_42),
                SimulatedAnswer.digest("gemma2:1b", "s", "v", SEED_42),
                SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42.withSeed(43L)),
                SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42.withTemperature(0.3)),
                SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42.withTopP(0.9)),
                SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42.withTopK(40)),
                SimulatedAnswer.digest("gemma2:1b", "s", "u", SEED_42.withRepeatPenalty(1.1))))
        .doesNotContain(base)
        .doesNotHaveDuplicates();
  }

  @Test
  void aNameWithoutTagIsTheLatestTagAndNumbersCompareByValue() {
    assertThat(
            SimulatedAnswer.digest(
                "llama3.2", null, "u", GenerationOptions.NONE.withTemperature(1.0)))
        .isEqualTo(
            SimulatedAnswer.digest(
                "llama3.2:latest",
                "",
                "u",
                GenerationOptions.of(java.util.Map.of("temperature", 1))));
  }

  @Test
  void numPredictBelowTheNaturalLengthCutsWithDoneReasonLength() {
    SimulatedAnswer a =
        SimulatedAnswer.of(
            "gemma2:1b", null, "a b", SEED_42.withNumPredict(3), AnswerLength.fixed(12));

    assertThat(a.evalCount()).isEqualTo(3);
    assertThat(a.text()).endsWith(" a b");
    assertThat(a.doneReason()).isEqualTo("length");
  }

  @Test
  void numPredictAtOrAboveTheNaturalLengthChangesNothing() {
    SimulatedAnswer a =
        SimulatedAnswer.of(
            "gemma2:1b", null, "a", SEED_42.withNumPredict(12), AnswerLength.fixed(12));

    assertThat(a.evalCount()).isEqualTo(12);
    assertThat(a.doneReason()).isEqualTo("stop");
  }

  @Test
  void aStopStringEndsTheTextBeforeItWithDoneReasonStop() {
    GenerationOptions opts = SEED_42.withNumPredict(5).withStop(List.of("zzz", "mug blue"));
    SimulatedAnswer a =
        SimulatedAnswer.of("gemma2:1b", null, "red mug blue", opts, AnswerLength.fixed(12));

    assertThat(a.text()).endsWith(" red ").doesNotContain("mug");
    assertThat(a.doneReason()).isEqualTo("stop");
    assertThat(a.evalCount()).isEqualTo(4);
  }

  @Test
  void aRangeGivesEachRequestALengthWithinItDerivedFromTheRequest() {
    AnswerLength range = AnswerLength.range(5, 9);
    for (int seed = 0; seed < 20; seed++) {
      GenerationOptions o = GenerationOptions.NONE.withSeed((long) seed);
      int n = SimulatedAnswer.of("m:1", null, "x", o, range).evalCount();
      assertThat(n)
          .isBetween(5, 9)
          .isEqualTo(SimulatedAnswer.of("m:1", null, "x", o, range).evalCount());
    }
  }

  @Test
  void emptyUserTextRepeatsTheWordEmpty() {
    assertThat(
            SimulatedAnswer.expectedText(
                "m:1", null, " ", GenerationOptions.NONE, AnswerLength.fixed(3)))
        .endsWith(" empty empty");
  }
}
