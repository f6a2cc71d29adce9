package dev.gollm.processor.intake;

import static dev.gollm.processor.testing.FakeManager.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkStealerTest {
  private final FakeManager manager = new FakeManager();
  private final List<Lease> admitted = new ArrayList<>();
  private LeaseLedger ledger;

  /** Four workers and as many prefetched: capacity eight. */
  private WorkStealer stealer(int maxCount, double minFreeShare) {
    ledger = new LeaseLedger(8, 100, new ManualScheduler());
    return new WorkStealer(
        manager, ledger, new Admission(ledger, admitted::add), 4, maxCount, minFreeShare);
  }

  private void hold(int n) {
    ledger.reserve(n);
    for (int i = 0; i < n; i++) {
      ledger.admit(new ClaimedTask("held-" + i, "data", 0, null));
    }
  }

  @Test
  void stealsUpToTheMaxCountWhenEnoughWorkersAreFree() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = stealer(2, 0.5);

    stealer.run();

    assertThat(manager.stealSizes()).containsExactly(2);
    assertThat(admitted).extracting(Lease::taskId).containsExactly("a", "b");
  }

  @Test
  void stealsNothingWhileTheFreeShareOfTheWorkersIsBelowTheThreshold() {
    WorkStealer stealer = stealer(2, 0.5);
    hold(7); // one place free: a quarter of the workers

    stealer.run();

    assertThat(manager.calls()).isEmpty();
  }

  @Test
  void stealsAtTheThresholdItself() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = stealer(5, 0.5);
    hold(6); // two places free: half the workers

    stealer.run();

    assertThat(manager.stealSizes()).containsExactly(2);
  }

  @Test
  void asksForNoMoreThanFiveWhateverTheConfiguredMaximum() {
    WorkStealer stealer = stealer(50, 0.1);

    stealer.run();

    assertThat(manager.stealSizes()).containsExactly(WorkStealer.MANAGER_MAX_STEAL);
  }

  @Test
  void moreTasksThanAskedForAreIgnoredAndNoRoomIsOverTaken() {
    WorkStealer stealer = stealer(2, 0.1);
    hold(6);
    manager.answerNextSteal(List.of(task("a"), task("b"), task("c"), task("d")));

    stealer.run();

    assertThat(admitted).extracting(Lease::taskId).containsExactly("a", "b");
    assertThat(ledger.freeRoom()).isZero();
    assertThat(ledger.heldCount()).isEqualTo(8);
  }

  @Test
  void aFailedStealReturnsItsReservations() {
    WorkStealer stealer = stealer(2, 0.1);
    manager.failNext(Call.STEAL, new ManagerException.Unavailable("503", null));

    stealer.run();

    assertThat(admitted).isEmpty();
    assertThat(ledger.freeRoom()).isEqualTo(8);
  }

  @Test
  void aStolenTaskWithoutAnIdIsIgnored() {
    WorkStealer stealer = stealer(2, 0.1);
    manager.answerNextSteal(List.of(new ManagerTask(null, "data", 0, null, null), task("a")));

    stealer.run();

    assertThat(admitted).extracting(Lease::taskId).containsExactly("a");
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }
}
