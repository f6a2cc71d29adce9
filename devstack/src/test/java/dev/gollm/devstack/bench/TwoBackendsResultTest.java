package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gollm.devstack.bench.TwoBackendsResult.Backend;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TwoBackendsResultTest {
  private static final String SCENARIO = "9 two backends";

  /** 4 slots × 100 ms and 2 slots × 200 ms: 50 tasks/s together, 80 % on the fast one. */
  private static TwoBackendsResult result(double makespanS, List<String> fast, List<String> slow) {
    return new TwoBackendsResult(
        fast.size() + slow.size(),
        makespanS,
        List.of(
            new Backend("fast", 40, fast, 4, 100, 0, makespanS),
            new Backend("slow", 10, slow, 2, 200, 0, makespanS)));
  }

  private static List<String> texts(String prefix, int n) {
    return Workload.texts(prefix, n);
  }

  private static Map<String, Figure> byId(List<Figure> figures) {
    return figures.stream().collect(Collectors.toMap(Figure::id, Function.identity()));
  }

  @Test
  void theIdealMakespanIsTheBacklogAtTheCombinedCapacity() {
    TwoBackendsResult r = result(6.2, texts("a", 240), texts("b", 60));

    assertThat(r.capacity()).isEqualTo(50);
    assertThat(r.idealMakespanS()).isCloseTo(6.0, within(1e-9));
  }

  @Test
  void theIdealAtMeasuredSpeedUsesHowLongTheServersReallyTookPerGeneration() {
    TwoBackendsResult r =
        new TwoBackendsResult(
            300,
            6.5,
            List.of(
                new Backend("fast", 40, texts("a", 240), 4, 125, 0, 6.5),
                new Backend("slow", 10, texts("b", 60), 2, 200, 0, 6.4)));

    // 4 × 1000 / 125 = 32 tasks/s and 2 × 1000 / 200 = 10 tasks/s: 300 / 42.
    assertThat(r.measuredIdealMakespanS()).isCloseTo(300 / 42.0, within(1e-9));
  }

  @Test
  void aMakespanWithinFivePercentOfTheIdealPassesAndASlowerOneMisses() {
    Figure within =
        byId(result(6.2, texts("a", 240), texts("b", 60)).figures(SCENARIO, "ollama", ""))
            .get("two_backends_ollama_makespan_s");
    Figure beyond =
        byId(result(6.4, texts("a", 240), texts("b", 60)).figures(SCENARIO, "ollama", ""))
            .get("two_backends_ollama_makespan_s");

    assertThat(within.ideal()).isCloseTo(6.0, within(1e-9));
    assertThat(within.verdict()).isEqualTo(Figure.Verdict.PASS);
    assertThat(beyond.verdict()).isEqualTo(Figure.Verdict.MISS);
  }

  @Test
  void eachBackendsShareIsComparedWithItsShareOfTheCapacity() {
    Map<String, Figure> figures =
        byId(result(6.0, texts("a", 210), texts("b", 90)).figures(SCENARIO, "openai", ""));

    Figure fast = figures.get("two_backends_openai_fast_share_pct");
    Figure slow = figures.get("two_backends_openai_slow_share_pct");
    assertThat(fast.value()).isCloseTo(70, within(1e-9));
    assertThat(fast.ideal()).isCloseTo(80, within(1e-9));
    assertThat(slow.value()).isCloseTo(30, within(1e-9));
    assertThat(slow.ideal()).isCloseTo(20, within(1e-9));
  }

  @Test
  void aTaskGeneratedOnBothBackendsOrTwiceOnOneCountsOnceAsGeneratedTwice() {
    List<String> fast = List.of("t1", "t2", "t2", "t3");
    List<String> slow = List.of("t3", "t4");

    TwoBackendsResult r = result(1.0, fast, slow);

    assertThat(r.generatedMoreThanOnce()).isEqualTo(2);
    Figure twice =
        byId(r.figures(SCENARIO, "ollama", "")).get("two_backends_ollama_generated_twice");
    assertThat(twice.value()).isEqualTo(2);
    assertThat(twice.verdict()).isEqualTo(Figure.Verdict.MISS);
  }

  @Test
  void noDuplicatesMeetTheTarget() {
    Figure twice =
        byId(result(6.0, texts("a", 240), texts("b", 60)).figures(SCENARIO, "ollama", ""))
            .get("two_backends_ollama_generated_twice");

    assertThat(twice.value()).isZero();
    assertThat(twice.verdict()).isEqualTo(Figure.Verdict.PASS);
  }

  @Test
  void sharesAreNotANumberWhenNothingWasGenerated() {
    TwoBackendsResult r = result(0, List.of(), List.of());

    assertThat(r.sharePercent(r.backends().getFirst())).isNaN();
  }
}
