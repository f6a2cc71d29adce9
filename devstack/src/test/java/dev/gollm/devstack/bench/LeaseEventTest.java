package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.LeaseEvent.Kind;
import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseEventTest {
  private static final Duration STEAL_AFTER = Duration.ofSeconds(60);

  private static LeaseEvent event(
      TaskStatus from, TaskStatus to, String oldOwner, String newOwner, Long heartbeat, long at) {
    return new LeaseEvent("t", from, to, oldOwner, newOwner, heartbeat, at);
  }

  @Test
  void aChangeOfOwnerAloneIsASteal() {
    assertThat(event(TaskStatus.PROCESSING, TaskStatus.PROCESSING, "a", "b", 0L, 1).kind())
        .isEqualTo(Kind.STEAL);
    assertThat(event(TaskStatus.COMPLETED, TaskStatus.COMPLETED, "a", "b", 0L, 1).kind())
        .isEqualTo(Kind.STEAL);
  }

  @Test
  void statusChangesAreClaimsRequeuesAndFinishes() {
    assertThat(event(TaskStatus.PENDING, TaskStatus.PROCESSING, null, "a", null, 1).kind())
        .isEqualTo(Kind.CLAIM);
    assertThat(event(TaskStatus.PROCESSING, TaskStatus.PENDING, "a", null, 0L, 1).kind())
        .isEqualTo(Kind.REQUEUE);
    assertThat(event(TaskStatus.PROCESSING, TaskStatus.COMPLETED, "a", "a", 0L, 1).kind())
        .isEqualTo(Kind.FINISH);
    assertThat(event(TaskStatus.PENDING, TaskStatus.FAILED, null, null, null, 1).kind())
        .isEqualTo(Kind.FINISH);
  }

  @Test
  void aTaskIsStealableOnlyWithAHeartbeatStrictlyOlderThanTheThreshold() {
    assertThat(
            event(TaskStatus.PROCESSING, TaskStatus.PROCESSING, "a", "b", 1_000L, 61_001)
                .wasStealable(STEAL_AFTER))
        .isTrue();
    assertThat(
            event(TaskStatus.PROCESSING, TaskStatus.PROCESSING, "a", "b", 1_000L, 61_000)
                .wasStealable(STEAL_AFTER))
        .isFalse();
  }

  @Test
  void aFinishedTaskOrOneWithoutHeartbeatIsNeverStealable() {
    assertThat(
            event(TaskStatus.COMPLETED, TaskStatus.COMPLETED, "a", "b", 0L, 100_000)
                .wasStealable(STEAL_AFTER))
        .isFalse();
    assertThat(
            event(TaskStatus.PROCESSING, TaskStatus.PROCESSING, "a", "b", null, 100_000)
                .wasStealable(STEAL_AFTER))
        .isFalse();
  }

  @Test
  void aTaskBecomesStealableItsThresholdAfterItsLastHeartbeat() {
    assertThat(
            event(TaskStatus.PROCESSING, TaskStatus.PROCESSING, "a", "b", 5_000L, 90_000)
                .stealableAtMillis(STEAL_AFTER))
        .isEqualTo(65_000);
  }
}
