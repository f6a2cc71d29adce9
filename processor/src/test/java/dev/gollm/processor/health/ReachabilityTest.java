package dev.gollm.processor.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.health.Reachability.Dependency;
import dev.gollm.processor.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Readiness from the calls the clients report, and the LLM probe that runs only when asked. */
class ReachabilityTest {
  private static final Duration WINDOW = Duration.ofSeconds(45);
  private static final Duration FRESH = Duration.ofSeconds(15);

  private final ManualClock clock = new ManualClock();
  private final Reachability reachability = new Reachability(clock, WINDOW);
  private final AtomicInteger probes = new AtomicInteger();

  private void probeAnswers() {
    reachability.probeWhenAsked(
        Dependency.OLLAMA,
        FRESH,
        () -> {
          probes.incrementAndGet();
          reachability.succeeded(Dependency.OLLAMA);
        });
  }

  @Test
  void aDependencyNotHeardFromWithinTheWindowIsNotReady() {
    reachability.succeeded(Dependency.MANAGER);
    clock.advance(WINDOW.plusSeconds(1));

    assertThat(reachability.isReachable(Dependency.MANAGER)).isFalse();
    assertThat(reachability.problems()).contains("manager: no answer for 46s");
  }

  @Test
  void aFailureAfterTheLastAnswerIsTheReason() {
    reachability.succeeded(Dependency.MANAGER);
    clock.advance(Duration.ofSeconds(1));
    reachability.failed(Dependency.MANAGER, "connection refused");

    assertThat(reachability.problems()).contains("manager: connection refused");
  }

  @Test
  void aDependencyWithAProbeIsProbedWhenReadinessIsAskedAndItsAnswerIsStale() {
    probeAnswers();
    reachability.succeeded(Dependency.OLLAMA);
    clock.advance(FRESH.plusSeconds(1));

    assertThat(reachability.isReachable(Dependency.OLLAMA)).isTrue();
    assertThat(probes).hasValue(1);
  }

  @Test
  void aFreshAnswerSparesTheProbe() {
    probeAnswers();
    reachability.succeeded(Dependency.OLLAMA);
    clock.advance(FRESH);

    reachability.problems();
    reachability.isReachable(Dependency.OLLAMA);

    assertThat(probes).hasValue(0);
  }

  @Test
  void nothingIsProbedWhileNobodyAsks() {
    probeAnswers();

    clock.advance(Duration.ofHours(1));

    assertThat(probes).hasValue(0);
  }

  @Test
  void aDependencyThatFailedIsProbedAgainWhenAsked() {
    probeAnswers();
    reachability.succeeded(Dependency.OLLAMA);
    clock.advance(Duration.ofSeconds(1));
    reachability.failed(Dependency.OLLAMA, "connection refused");
    clock.advance(Duration.ofSeconds(1));

    assertThat(reachability.isReachable(Dependency.OLLAMA)).isTrue();
    assertThat(probes).hasValue(1);
  }

  @Test
  void aProbeThatFailsLeavesItsReasonInTheAnswer() {
    reachability.probeWhenAsked(
        Dependency.OLLAMA,
        FRESH,
        () -> reachability.failed(Dependency.OLLAMA, "connection refused"));
    reachability.succeeded(Dependency.MANAGER);

    assertThat(reachability.problems()).containsExactly("ollama: connection refused");
  }
}
