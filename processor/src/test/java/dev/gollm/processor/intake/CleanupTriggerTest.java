package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.gollm.processor.manager.ManagerApi.CleanupResult;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CleanupTriggerTest {
  private final FakeManager manager = new FakeManager();
  private final AtomicInteger claimerWakeUps = new AtomicInteger();
  private final CleanupTrigger cleanup =
      new CleanupTrigger(manager, claimerWakeUps::incrementAndGet);

  @Test
  void eachRoundAsksTheManagerToCleanUpOnce() {
    manager.cleanupAnswers(new CleanupResult(2, 1, 3));

    cleanup.run();
    cleanup.run();

    assertThat(manager.calls()).containsExactly(Call.CLEANUP, Call.CLEANUP);
  }

  @Test
  void aCleanupThatRequeuedTasksWakesTheClaimerBecauseTheManagerAnnouncesNone() {
    manager.cleanupAnswers(new CleanupResult(2, 0, 0));

    cleanup.run();

    assertThat(claimerWakeUps).hasValue(1);
  }

  @Test
  void aCleanupThatRequeuedNothingLeavesTheClaimerAlone() {
    manager.cleanupAnswers(new CleanupResult(0, 1, 3));

    cleanup.run();

    assertThat(claimerWakeUps).hasValue(0);
  }

  @Test
  void aFailedCleanupEndsTheRoundQuietlyAndTheNextRoundTriesAgain() {
    manager.failNext(Call.CLEANUP, new ManagerException.Unavailable("503", null));

    assertThatCode(cleanup::run).doesNotThrowAnyException();
    cleanup.run();

    assertThat(manager.count(Call.CLEANUP)).isEqualTo(2);
  }
}
