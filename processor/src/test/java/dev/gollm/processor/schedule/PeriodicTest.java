package dev.gollm.processor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {
  private static final Duration EVERY = Duration.ofSeconds(15);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicBoolean hasWork = new AtomicBoolean();

  private Periodic conditional() {
    return new Periodic(
        "test", scheduler, EVERY, runs::incrementAndGet, hasWork::get, Duration.ofSeconds(1));
  }

  @Test
  void aConditionalPeriodicSetsNoTimerWhileItsConditionIsFalse() {
    conditional().start();

    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aConditionalPeriodicRunsWhileItsConditionHoldsAndStopsReschedulingWhenItTurnsFalse() {
    hasWork.set(true);
    Periodic periodic = conditional().start();
    scheduler.advance(EVERY);
    scheduler.advance(EVERY);
    assertThat(runs).hasValue(2);

    hasWork.set(false);
    scheduler.advance(EVERY);

    assertThat(runs).hasValue(3);
    assertThat(scheduler.pending()).isZero();
    periodic.close();
  }

  @Test
  void startResumesAConditionalPeriodicOnceItsConditionHoldsAgain() {
    Periodic periodic = conditional().start();
    hasWork.set(true);

    periodic.start().start();
    scheduler.advance(EVERY);

    assertThat(runs).hasValue(1);
    assertThat(scheduler.pending()).isEqualTo(1);
    periodic.close();
  }

  @Test
  void aPeriodicWithoutAConditionKeepsRunning() {
    Periodic periodic =
        new Periodic("test", scheduler, EVERY, runs::incrementAndGet, Duration.ofSeconds(1))
            .start();
    scheduler.advance(EVERY.multipliedBy(3));

    assertThat(runs).hasValue(3);
    periodic.close();
  }
}
