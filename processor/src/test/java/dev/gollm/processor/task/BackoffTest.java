package dev.gollm.processor.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new SplittableRandom(7));

  @Test
  void delaysStayWithinTheGrowingCeiling() {
    for (int attempt = 1; attempt <= 40; attempt++) {
      long ceilingMs = Math.min(2000, 100L << Math.min(attempt - 1, 20));
      for (int i = 0; i < 50; i++) {
        assertThat(backoff.delay(attempt)).isBetween(Duration.ZERO, Duration.ofMillis(ceilingMs));
      }
    }
  }

  @Test
  void delaysAreJittered() {
    assertThat(
            java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> backoff.delay(5))
                .distinct()
                .count())
        .isGreaterThan(10);
  }
}
