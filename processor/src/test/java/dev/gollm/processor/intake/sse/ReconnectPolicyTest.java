package dev.gollm.processor.intake.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.intake.sse.StreamEnd.Reason;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration CAP = Duration.ofSeconds(60);

  @Test
  void backoffDoublesFromTheIntervalUpToTheCap() {
    ReconnectPolicy policy = policy(10, Jitter.MAX);

    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(policy.backoff(5)).isEqualTo(CAP);
    assertThat(policy.backoff(500)).isEqualTo(CAP);
  }

  @Test
  void equalJitterKeepsAtLeastHalfOfEachStep() {
    ReconnectPolicy policy = policy(10, Jitter.MIN);

    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(2500));
    assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void randomJitterStaysWithinTheStep() {
    ReconnectPolicy policy =
        new ReconnectPolicy(INTERVAL, CAP, 3, INTERVAL, new SplittableRandom(7));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.backoff(3)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }
  }

  @Test
  void reportsPushLostOnceAfterMaxFailuresInARowAndKeepsBackingOff() {
    ReconnectPolicy policy = policy(3, Jitter.MAX);

    assertThat(policy.ended(refused()).pushLost()).isFalse();
    assertThat(policy.ended(refused()).pushLost()).isFalse();
    ReconnectPolicy.Decision third = policy.ended(refused());
    ReconnectPolicy.Decision fourth = policy.ended(refused());

    assertThat(third.pushLost()).isTrue();
    assertThat(third.failuresInRow()).isEqualTo(3);
    assertThat(fourth.pushLost()).isFalse();
    assertThat(fourth.delay()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void plannedEndsReconnectAtOnceAndResetTheFailureCount() {
    ReconnectPolicy policy = policy(3, Jitter.MAX);
    policy.ended(refused());
    policy.ended(refused());

    ReconnectPolicy.Decision expired = policy.ended(ended(Reason.EXPIRED, Duration.ofMinutes(59)));
    ReconnectPolicy.Decision serverEnded =
        policy.ended(ended(Reason.SERVER_ENDED, Duration.ofMinutes(60)));

    assertThat(expired.delay()).isZero();
    assertThat(serverEnded.delay()).isZero();
    assertThat(policy.ended(refused()).pushLost()).isFalse();
    assertThat(policy.ended(refused()).failuresInRow()).isEqualTo(2);
  }

  @Test
  void aPlannedEndRightAfterConnectingWaitsOneFirstStepWithoutCountingAFailure() {
    ReconnectPolicy policy = policy(2, Jitter.MAX);
    policy.ended(refused());

    ReconnectPolicy.Decision quick = policy.ended(ended(Reason.SERVER_ENDED, Duration.ofMillis(3)));

    assertThat(quick.delay()).isEqualTo(INTERVAL);
    assertThat(quick.pushLost()).isFalse();
    assertThat(quick.failuresInRow()).isEqualTo(1);
  }

  @Test
  void aHealthyConnectionThatBreaksReconnectsAtOnceAndResetsTheCount() {
    ReconnectPolicy policy = policy(2, Jitter.MAX);
    policy.ended(refused());

    ReconnectPolicy.Decision afterSilence =
        policy.ended(ended(Reason.SILENT, Duration.ofMinutes(3)));

    assertThat(afterSilence.delay()).isZero();
    assertThat(afterSilence.failuresInRow()).isZero();
    assertThat(policy.ended(refused()).pushLost()).isFalse();
  }

  @Test
  void aConnectionThatDropsAtOnceCountsAsAFailure() {
    ReconnectPolicy policy = policy(2, Jitter.MAX);

    policy.ended(ended(Reason.EOF, Duration.ofMillis(10)));
    ReconnectPolicy.Decision second = policy.ended(ended(Reason.EOF, Duration.ofMillis(10)));

    assertThat(second.pushLost()).isTrue();
    assertThat(second.delay()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void unauthorizedCountsAsAFailure() {
    ReconnectPolicy policy = policy(1, Jitter.MAX);

    StreamEnd unauthorized =
        new StreamEnd(Reason.UNAUTHORIZED, false, 0, Duration.ZERO, 401, "HTTP 401");

    assertThat(policy.ended(unauthorized).pushLost()).isTrue();
  }

  @Test
  void pushUpIsReportedOnFirstConnectAndAgainOnlyAfterItWasLost() {
    ReconnectPolicy policy = policy(1, Jitter.MAX);

    assertThat(policy.connected()).isTrue();
    assertThat(policy.isPushUp()).isTrue();
    assertThat(policy.connected()).isFalse();
    assertThat(policy.ended(ended(Reason.EOF, Duration.ZERO)).pushLost()).isTrue();
    assertThat(policy.isPushUp()).isFalse();
    assertThat(policy.connected()).isTrue();
  }

  private static ReconnectPolicy policy(int maxFailures, Jitter jitter) {
    return new ReconnectPolicy(INTERVAL, CAP, maxFailures, INTERVAL, jitter);
  }

  private static StreamEnd refused() {
    return new StreamEnd(Reason.CONNECT_FAILED, false, 0, Duration.ZERO, 0, "refused");
  }

  private static StreamEnd ended(Reason reason, Duration connectedFor) {
    return new StreamEnd(reason, true, 3, connectedFor, 0, reason.name());
  }

  /** A jitter source pinned to the low or high end of every range. */
  private enum Jitter implements RandomGenerator {
    MIN,
    MAX;

    @Override
    public long nextLong() {
      return this == MIN ? 0 : Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return this == MIN ? 0 : bound - 1;
    }
  }
}
