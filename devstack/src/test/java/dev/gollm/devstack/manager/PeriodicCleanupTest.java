package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The optional periodic cleanup (off by default, like the manager). */
class PeriodicCleanupTest {
  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(
          ManagerOptions.builder()
              .clock(clock)
              .cleanupInterval(Duration.ofMillis(20))
              .staleAfter(Duration.ofSeconds(30))
              .build());

  @Test
  void aStaleTaskIsRequeuedWithoutAnyoneCallingCleanup() {
    String id = manager.server().submit("mug");
    new ManagerClient(manager.server()).claimIds("proc-1", 1);

    clock.advance(Duration.ofSeconds(31));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.server().requireTask(id).status() == TaskStatus.PENDING);
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.retryCount()).isEqualTo(1);
    assertThat(task.errorMessage()).isEqualTo("manager: heartbeat timeout");
  }

  @Test
  void periodicCleanupIsOffByDefault() {
    assertThat(ManagerOptions.defaults().periodicCleanup()).isFalse();
    assertThat(manager.server().options().periodicCleanup()).isTrue();
  }
}
