package dev.gollm.processor.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.manager.ManagerTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseLedgerTest {
  private static ManagerTask task(String id) {
    return new ManagerTask(id, "data", 0, null, null);
  }

  private static Lease admit(LeaseLedger ledger, String id) {
    assertThat(ledger.reserve(1)).isEqualTo(1);
    return ledger.admit(task(id));
  }

  @Test
  void reservationsNeverExceedCapacity() {
    LeaseLedger ledger = new LeaseLedger(4, 100);
    assertThat(ledger.reserve(3)).isEqualTo(3);
    assertThat(ledger.reserve(3)).isEqualTo(1);
    assertThat(ledger.reserve(1)).isZero();
  }

  @Test
  void waitingTasksAreCappedByTheQueueSize() {
    LeaseLedger ledger = new LeaseLedger(10, 2);
    Lease running = admit(ledger, "a");
    ledger.started(running);
    admit(ledger, "b");
    admit(ledger, "c");
    assertThat(ledger.freeRoom()).isZero();
    ledger.release(running);
    assertThat(ledger.freeRoom()).isZero(); // still two waiting
  }

  @Test
  void releasingALeaseFreesRoomAndTellsListeners() {
    LeaseLedger ledger = new LeaseLedger(1, 10);
    AtomicInteger freed = new AtomicInteger();
    ledger.onRoomFreed(freed::incrementAndGet);
    Lease lease = admit(ledger, "a");
    assertThat(ledger.freeRoom()).isZero();
    ledger.release(lease);
    assertThat(ledger.freeRoom()).isEqualTo(1);
    assertThat(freed).hasValue(1);
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aTaskAlreadyHeldIsNotAdmittedTwice() {
    LeaseLedger ledger = new LeaseLedger(4, 10);
    admit(ledger, "a");
    assertThat(ledger.reserve(1)).isEqualTo(1);
    assertThat(ledger.admit(task("a"))).isNull();
    assertThat(ledger.heldCount()).isEqualTo(1);
    assertThat(ledger.freeRoom()).isEqualTo(3);
  }

  @Test
  void unusedReservationsAreReturned() {
    LeaseLedger ledger = new LeaseLedger(4, 10);
    int n = ledger.reserve(4);
    ledger.admit(task("a"));
    ledger.unreserve(n - 1);
    assertThat(ledger.freeRoom()).isEqualTo(3);
  }

  @Test
  void aSettlingLeaseStillHoldsRoomButNoLongerWaitsNorRuns() {
    LeaseLedger ledger = new LeaseLedger(2, 10);
    Lease lease = admit(ledger, "a");
    ledger.started(lease);
    ledger.settling(lease);
    assertThat(ledger.runningCount()).isZero();
    assertThat(ledger.waitingCount()).isZero();
    assertThat(ledger.freeRoom()).isEqualTo(1);
    ledger.release(lease);
    assertThat(ledger.freeRoom()).isEqualTo(2);
  }
}
