package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerOptions;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MixedFleetPlanTest {
  @Test
  void theFullRunHasTheRealManagersThresholdsAndTheProcessorsDefaults() {
    MixedFleetPlan plan = MixedFleetPlan.of(BenchPlan.full());
    ManagerOptions manager = plan.managerOptions();

    assertThat(manager.stealAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(manager.staleAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(manager.stealOwnerMinimum()).isEqualTo(5);
    assertThat(manager.periodicCleanup()).isFalse();
    assertThat(plan.cap()).isEqualTo(Duration.ofSeconds(300));
    assertThat(plan.processorSettings(3, plan.defaultStealInterval()))
        .containsEntry("WORK_STEALING_INTERVAL", "120000ms")
        .containsEntry("SSE_ENABLED", "true")
        .doesNotContainKeys("HEARTBEAT_INTERVAL", "CLEANUP_INTERVAL", "SAFETY_POLL_INTERVAL");
  }

  @Test
  void theQuickRunScalesEveryThresholdAndIntervalByATenth() {
    MixedFleetPlan plan = MixedFleetPlan.of(BenchPlan.quick());

    assertThat(plan.stealAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(plan.staleAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(plan.cap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(plan.defaultStealInterval()).isEqualTo(Duration.ofSeconds(12));
    assertThat(plan.shortStealInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(plan.processorSettings(3, plan.shortStealInterval()))
        .containsEntry("WORK_STEALING_INTERVAL", "1000ms")
        .containsEntry("HEARTBEAT_INTERVAL", "1500ms")
        .containsEntry("POLL_INTERVAL", "500ms")
        .containsEntry("CLEANUP_INTERVAL", "5000ms")
        .containsEntry("SAFETY_POLL_INTERVAL", "3000ms");
    assertThat(
            plan.strandingOptions(
                URI.create("http://127.0.0.1:1"),
                "k",
                URI.create("http://127.0.0.1:2"),
                "original",
                2))
        .satisfies(
            o -> {
              assertThat(o.heartbeatInterval()).isEqualTo(Duration.ofSeconds(6));
              assertThat(o.reconnectDelay()).isEqualTo(Duration.ofMillis(500));
              assertThat(o.model()).isEqualTo(BenchStack.MODEL);
            });
  }
}
