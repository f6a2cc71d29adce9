package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.bench.Figure.Verdict;
import org.junit.jupiter.api.Test;

class FigureTest {
  @Test
  void aValueTargetPassesAtOrBelowItsLimit() {
    assertThat(figure(5.0, null, Target.atMost(5)).verdict()).isEqualTo(Verdict.PASS);
    assertThat(figure(5.01, null, Target.atMost(5)).verdict()).isEqualTo(Verdict.MISS);
  }

  @Test
  void aRatioTargetJudgesTheValueDividedByTheIdeal() {
    Figure makespan = figure(10.2, 10.0, Target.ratioAtMost(1.02));
    Figure slower = figure(10.3, 10.0, Target.ratioAtMost(1.02));

    assertThat(makespan.ratio()).isCloseTo(1.02, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(makespan.verdict()).isEqualTo(Verdict.PASS);
    assertThat(slower.verdict()).isEqualTo(Verdict.MISS);
  }

  @Test
  void aMissingValueMissesItsTargetAndHasNoRatio() {
    Figure f = figure(Double.NaN, 2.0, Target.atMost(1));

    assertThat(f.verdict()).isEqualTo(Verdict.MISS);
    assertThat(f.ratio()).isNaN();
  }

  @Test
  void aFigureWithoutTargetIsInformationOnly() {
    assertThat(Figure.info("x", "s", "x", 3, "ms").verdict()).isEqualTo(Verdict.INFO);
    assertThat(Figure.info("x", "s", "x", 3, "ms").ratio()).isNaN();
  }

  @Test
  void aRatioTargetNeedsANonZeroIdeal() {
    assertThatThrownBy(() -> figure(1, null, Target.ratioAtMost(1.05)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("figure f");
  }

  @Test
  void jsonCarriesValueIdealRatioTargetAndVerdict() {
    var json = figure(10.5, 10.0, Target.ratioAtMost(1.05)).toJson();

    assertThat(json.get("id").asString()).isEqualTo("f");
    assertThat(json.get("value").asDouble()).isEqualTo(10.5);
    assertThat(json.get("ideal").asDouble()).isEqualTo(10.0);
    assertThat(json.get("ratio_to_ideal").asDouble()).isEqualTo(1.05);
    assertThat(json.get("target").get("at_most").asDouble()).isEqualTo(1.05);
    assertThat(json.get("target").get("on").asString()).isEqualTo("ratio_to_ideal");
    assertThat(json.get("verdict").asString()).isEqualTo("pass");
    assertThat(figure(Double.NaN, null, null).toJson().get("value").isNull()).isTrue();
  }

  private static Figure figure(double value, Double ideal, Target target) {
    return new Figure("f", "3 throughput", "label", value, "s", ideal, target);
  }
}
