package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.intake.Admission.Source;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How stolen tasks are confirmed before they are queued (claims and steals share the rest). */
class AdmissionTest {
  private final FakeManager manager = new FakeManager();
  private final LeaseLedger ledger = new LeaseLedger(8, 100, new ManualScheduler());
  private final List<Lease> queued = new ArrayList<>();
  private final List<List<String>> heartbeatsWhenQueued = new ArrayList<>();
  private final Admission admission =
      new Admission(
          manager,
          ledger,
          lease -> {
            queued.add(lease);
            heartbeatsWhenQueued.add(manager.heartbeats());
          });

  private List<String> queuedIds() {
    return queued.stream().map(Lease::taskId).toList();
  }

  @Test
  void aStolenTaskIsHeartbeatedBeforeItIsQueued() {
    manager.stealable("a", "b");

    Admission.Result result = admission.admit(Source.STEAL, 2);

    assertThat(result).isEqualTo(new Admission.Result(2, 2, 2, 0));
    assertThat(queuedIds()).containsExactly("a", "b");
    assertThat(heartbeatsWhenQueued.getFirst()).containsExactlyInAnyOrder("a", "b");
    assertThat(queued).extracting(Lease::state).containsOnly(LeaseState.WAITING);
  }

  @Test
  void aStolenTaskTheManagerHandedToAnotherStealerIsDroppedUnrunAndItsRoomFreed() {
    manager.stealable("a", "b").takeAway("a");

    Admission.Result result = admission.admit(Source.STEAL, 2);

    assertThat(result).isEqualTo(new Admission.Result(2, 2, 1, 1));
    assertThat(result.full()).as("the manager still had as many as asked").isTrue();
    assertThat(queuedIds()).containsExactly("b");
    assertThat(ledger.held()).extracting(Lease::taskId).containsExactly("b");
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }

  @Test
  void aStolenTaskWhoseConfirmationGetsNoAnswerIsQueuedForTheLeaseHeartbeatsToDecide() {
    manager.stealable("a");
    manager.failNext(Call.HEARTBEAT, new ManagerException.Unavailable("503", null));

    admission.admit(Source.STEAL, 1);

    assertThat(queuedIds()).containsExactly("a");
  }

  @Test
  void aClaimedTaskIsQueuedWithoutAConfirmingHeartbeat() {
    manager.pending("a");

    Admission.Result result = admission.admit(Source.CLAIM, 3);

    assertThat(result).isEqualTo(new Admission.Result(3, 1, 1, 0));
    assertThat(result.full()).isFalse();
    assertThat(queuedIds()).containsExactly("a");
    assertThat(manager.heartbeats()).isEmpty();
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }
}
