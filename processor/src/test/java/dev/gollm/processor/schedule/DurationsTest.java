package dev.gollm.processor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void timesMatchesTheJdksProductIncludingCarriesIntoSeconds() {
    Duration d = Duration.ofSeconds(7, 600_000_000);
    for (long factor : new long[] {0, 1, 3, 10, 1L << 16, -4}) {
      assertThat(Durations.times(d, factor)).isEqualTo(d.multipliedBy(factor));
    }
  }

  @Test
  void timesFailsOnOverflowAsTheJdkDoes() {
    assertThatThrownBy(() -> Durations.times(Duration.ofSeconds(Long.MAX_VALUE / 2 + 1), 2))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void dividedByMatchesTheJdkForPositiveDurations() {
    for (Duration d :
        new Duration[] {
          Duration.ZERO,
          Duration.ofNanos(9),
          Duration.ofMillis(1_234),
          Duration.ofMinutes(5),
          Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)
        }) {
      for (int divisor : new int[] {1, 3, 10, Integer.MAX_VALUE}) {
        assertThat(Durations.dividedBy(d, divisor))
            .as("%s / %d", d, divisor)
            .isEqualTo(d.dividedBy(divisor));
      }
    }
  }

  @Test
  void dividedByRoundsNegativeDurationsDown() {
    assertThat(Durations.dividedBy(Duration.ofNanos(-10), 3)).isEqualTo(Duration.ofNanos(-4));
  }

  @Test
  void dividedByRefusesADivisorBelowOne() {
    assertThatThrownBy(() -> Durations.dividedBy(Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divisor");
  }

  @Test
  void quotientCountsWholeParts() {
    assertThat(Durations.quotient(Duration.ofMillis(1_050), Duration.ofMillis(100))).isEqualTo(10);
    assertThat(Durations.quotient(Duration.ofMillis(99), Duration.ofMillis(100))).isZero();
  }
}
