package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void percentilesAreNearestRankOverTheSortedSample() {
    List<Double> oneToHundred = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      oneToHundred.add((double) i);
    }

    Summary s = Summary.of(oneToHundred);

    assertThat(s.count()).isEqualTo(100);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.p50()).isEqualTo(50);
    assertThat(s.p90()).isEqualTo(90);
    assertThat(s.p99()).isEqualTo(99);
    assertThat(s.max()).isEqualTo(100);
    assertThat(s.mean()).isEqualTo(50.5);
  }

  @Test
  void aSmallSampleTakesTheValueAtTheRoundedUpRank() {
    Summary s = Summary.of(new double[] {3, 1, 2});

    assertThat(s.p50()).isEqualTo(2); // rank ceil(1.5) = 2
    assertThat(s.p99()).isEqualTo(3); // rank ceil(2.97) = 3
    assertThat(Summary.percentile(new double[] {7, 8}, 0)).isEqualTo(7);
  }

  @Test
  void anEmptySampleHasNoValuesAndWritesNulls() {
    Summary s = Summary.of(List.of());

    assertThat(s.count()).isZero();
    assertThat(s.p50()).isNaN();
    assertThat(s.toJson().get("p50").isNull()).isTrue();
    assertThat(s.toJson().get("count").asInt()).isZero();
  }

  @Test
  void percentileRejectsAnEmptySampleAndRanksOutsideZeroToHundred() {
    assertThatThrownBy(() -> Summary.percentile(new double[0], 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Summary.percentile(new double[] {1}, 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("101");
  }
}
