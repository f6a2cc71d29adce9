package dev.gollm.processor.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.lease.LeaseState.Lost;
import dev.gollm.processor.lease.LeaseState.Reporting;
import dev.gollm.processor.lease.Transition.Changed;
import dev.gollm.processor.lease.Transition.Refused;
import dev.gollm.processor.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a hang guard only
class LeaseLedgerTest {
  private static final Outcome DONE = new Outcome.Completed("text", 3, Duration.ofMillis(5));

  private final ManualScheduler scheduler = new ManualScheduler();

  private LeaseLedger ledger(int capacity, int maxWaiting) {
    return new LeaseLedger(capacity, maxWaiting, scheduler);
  }

  private static ClaimedTask task(String id) {
    return new ClaimedTask(id, "data", 0, null);
  }

  private static Lease admit(LeaseLedger ledger, String id) {
    assertThat(ledger.reserve(1)).isEqualTo(1);
    return ledger.admit(task(id), 0L);
  }

  private static Lease unconfirmed(LeaseLedger ledger, String id) {
    assertThat(ledger.reserve(1)).isEqualTo(1);
    return ledger.admitUnconfirmed(task(id));
  }

  private static Lease running(LeaseLedger ledger, String id) {
    Lease lease = admit(ledger, id);
    assertThat(ledger.start(lease).changed()).isTrue();
    return lease;
  }

  private static Lease reporting(LeaseLedger ledger, String id) {
    Lease lease = running(ledger, id);
    assertThat(ledger.finish(lease, DONE).changed()).isTrue();
    return lease;
  }

  // Room accounting

  @Test
  void reservationsNeverExceedCapacity() {
    LeaseLedger ledger = ledger(4, 100);
    assertThat(ledger.reserve(3)).isEqualTo(3);
    assertThat(ledger.reserve(3)).isEqualTo(1);
    assertThat(ledger.reserve(1)).isZero();
  }

  @Test
  void waitingTasksAreCappedByTheQueueSize() {
    LeaseLedger ledger = ledger(10, 2);
    Lease running = running(ledger, "a");
    admit(ledger, "b");
    admit(ledger, "c");
    assertThat(ledger.freeRoom()).isZero();
    ledger.finish(running, new Outcome.Drop("gone"));
    assertThat(ledger.freeRoom()).isZero(); // still two waiting
  }

  @Test
  void leasesBeingReportedAreCountedApartFromWaitingAndRunningOnes() {
    LeaseLedger ledger = ledger(4, 4);
    admit(ledger, "waiting");
    running(ledger, "running");
    Lease reported = reporting(ledger, "reporting");

    assertThat(ledger.reportingCount()).isEqualTo(1);
    ledger.settled(reported);
    assertThat(ledger.reportingCount()).isZero();
  }

  @Test
  void releasingALeaseFreesRoomAndTellsListeners() {
    LeaseLedger ledger = ledger(1, 10);
    AtomicInteger freed = new AtomicInteger();
    ledger.onRoomFreed(freed::incrementAndGet);
    Lease lease = reporting(ledger, "a");
    assertThat(ledger.freeRoom()).isZero();
    ledger.settled(lease);
    assertThat(ledger.freeRoom()).isEqualTo(1);
    assertThat(freed).hasValue(1);
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aTaskAlreadyHeldIsNotAdmittedTwice() {
    LeaseLedger ledger = ledger(4, 10);
    admit(ledger, "a");
    assertThat(ledger.reserve(1)).isEqualTo(1);
    assertThat(ledger.admit(task("a"), 0L)).isNull();
    assertThat(ledger.heldCount()).isEqualTo(1);
    assertThat(ledger.freeRoom()).isEqualTo(3);
  }

  @Test
  void unusedReservationsAreReturned() {
    LeaseLedger ledger = ledger(4, 10);
    int n = ledger.reserve(4);
    ledger.admit(task("a"), 0L);
    ledger.unreserve(n - 1);
    assertThat(ledger.freeRoom()).isEqualTo(3);
  }

  @Test
  void admittingWithoutAReservationIsAProgrammingError() {
    LeaseLedger ledger = ledger(4, 10);
    assertThatThrownBy(() -> ledger.admit(task("a"), 0L)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReportingLeaseStillHoldsRoomButNoLongerWaitsNorRuns() {
    LeaseLedger ledger = ledger(2, 10);
    Lease lease = reporting(ledger, "a");
    assertThat(ledger.runningCount()).isZero();
    assertThat(ledger.waitingCount()).isZero();
    assertThat(ledger.freeRoom()).isEqualTo(1);
    ledger.settled(lease);
    assertThat(ledger.freeRoom()).isEqualTo(2);
  }

  @Test
  void aLeaseLostWhileRunningKeepsItsRoomAndWorkerSlotUntilTheWorkerIsOffIt() {
    LeaseLedger ledger = ledger(1, 10);
    Lease lease = running(ledger, "a");

    ledger.lose(lease, "404");

    assertThat(ledger.runningCount()).isEqualTo(1);
    assertThat(ledger.freeRoom()).isZero();
    assertThat(ledger.finish(lease, new Outcome.Drop("404")))
        .isEqualTo(new Changed(LeaseState.RELEASED));
    assertThat(ledger.runningCount()).isZero();
    assertThat(ledger.freeRoom()).isEqualTo(1);
  }

  @Test
  void aLeaseLostWhileWaitingKeepsItsRoomUntilDropped() {
    LeaseLedger ledger = ledger(1, 10);
    Lease lease = admit(ledger, "a");

    ledger.lose(lease, "404");

    assertThat(ledger.waitingCount()).isEqualTo(1);
    assertThat(ledger.freeRoom()).isZero();
    ledger.drop(lease);
    assertThat(ledger.freeRoom()).isEqualTo(1);
  }

  // Legal transitions

  @Test
  void aWaitingLeaseStarts() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = admit(ledger, "a");
    assertThat(lease.state()).isEqualTo(LeaseState.WAITING);
    assertThat(ledger.start(lease)).isEqualTo(new Changed(LeaseState.RUNNING));
    assertThat(ledger.runningCount()).isEqualTo(1);
  }

  @Test
  void aFinishedRunningLeaseReportsItsOutcome() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = running(ledger, "a");
    assertThat(ledger.finish(lease, DONE)).isEqualTo(new Changed(new Reporting(DONE)));
  }

  @Test
  void aRunningLeaseFinishedWithNothingToReportIsReleased() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = running(ledger, "a");
    assertThat(ledger.finish(lease, new Outcome.Drop("gone")))
        .isEqualTo(new Changed(LeaseState.RELEASED));
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aWaitingLeaseIsHandedBack() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = admit(ledger, "a");
    assertThat(ledger.handBack(lease, "stopping"))
        .isEqualTo(new Changed(new Reporting(new Outcome.HandBack("stopping"))));
    assertThat(ledger.waitingCount()).isZero();
  }

  @Test
  void losingAWaitingLeaseCancelsItsSignal() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = admit(ledger, "a");
    assertThat(ledger.lose(lease, "404")).isEqualTo(new Changed(new Lost("404", false)));
    assertThat(lease.cancel().reason()).isEqualTo("404");
  }

  @Test
  void losingARunningLeaseCancelsItsWork() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = running(ledger, "a");
    assertThat(ledger.lose(lease, "404")).isEqualTo(new Changed(new Lost("404", true)));
    assertThat(lease.cancel().isCancelled()).isTrue();
  }

  @Test
  void aLostLeaseNobodyWorksOnIsDropped() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = admit(ledger, "a");
    ledger.lose(lease, "404");
    assertThat(ledger.drop(lease)).isEqualTo(new Changed(LeaseState.RELEASED));
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aLostLeaseIsReleasedWhenItsWorkerFinishesWhateverTheOutcome() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = running(ledger, "a");
    ledger.lose(lease, "404");
    assertThat(ledger.finish(lease, DONE)).isEqualTo(new Changed(LeaseState.RELEASED));
  }

  @Test
  void aSettledReportReleasesTheLease() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = reporting(ledger, "a");
    assertThat(ledger.settled(lease)).isEqualTo(new Changed(LeaseState.RELEASED));
    assertThat(ledger.held()).isEmpty();
  }

  // Stolen leases: confirmed before they may be queued

  @Test
  void aStolenLeaseStartsUnconfirmedAndHoldsRoomAsAWaitingOne() {
    LeaseLedger ledger = ledger(4, 2);
    Lease lease = unconfirmed(ledger, "a");
    assertThat(lease.state()).isEqualTo(LeaseState.CONFIRMING);
    assertThat(ledger.waitingCount()).isEqualTo(1);
    assertThat(ledger.freeRoom()).isEqualTo(1); // the queue holds two
  }

  @Test
  void aConfirmedLeaseWaitsForAWorker() {
    LeaseLedger ledger = ledger(4, 4);
    Lease lease = unconfirmed(ledger, "a");
    assertThat(ledger.confirm(lease)).isEqualTo(new Changed(LeaseState.WAITING));
    assertThat(ledger.start(lease)).isEqualTo(new Changed(LeaseState.RUNNING));
  }

  @Test
  void anUnconfirmedLeaseThatTurnsOutAnothersIsLostAndDroppedUnrun() {
    LeaseLedger ledger = ledger(4, 4);
    AtomicInteger freed = new AtomicInteger();
    ledger.onRoomFreed(freed::incrementAndGet);
    Lease lease = unconfirmed(ledger, "a");

    assertThat(ledger.lose(lease, "404")).isEqualTo(new Changed(new Lost("404", false)));
    assertThat(lease.cancel().isCancelled()).isTrue();
    assertThat(ledger.drop(lease)).isEqualTo(new Changed(LeaseState.RELEASED));
    assertThat(ledger.heldCount()).isZero();
    assertThat(freed).hasValue(1);
  }

  @Test
  void anUnconfirmedLeaseIsNeitherStartedNorHandedBack() {
    LeaseLedger ledger = ledger(4, 4);
    Lease lease = unconfirmed(ledger, "a");
    assertThat(ledger.start(lease)).isEqualTo(new Refused(LeaseState.CONFIRMING));
    assertThat(ledger.handBack(lease, "stop")).isEqualTo(new Refused(LeaseState.CONFIRMING));
  }

  @Test
  void onlyAnUnconfirmedLeaseIsConfirmed() {
    LeaseLedger ledger = ledger(4, 4);
    Lease waiting = admit(ledger, "waiting");
    Lease run = running(ledger, "run");
    Lease lost = unconfirmed(ledger, "lost");
    ledger.lose(lost, "404");
    for (Lease lease : List.of(waiting, run, lost)) {
      LeaseState before = lease.state();
      assertThat(ledger.confirm(lease)).isEqualTo(new Refused(before));
    }
  }

  // Refused transitions: nothing changes

  @Test
  void onlyAWaitingLeaseStarts() {
    LeaseLedger ledger = ledger(4, 4);
    Lease run = running(ledger, "run");
    Lease report = reporting(ledger, "report");
    Lease lost = admit(ledger, "lost");
    ledger.lose(lost, "404");
    for (Lease lease : List.of(run, report, lost)) {
      LeaseState before = lease.state();
      assertThat(ledger.start(lease)).isEqualTo(new Refused(before));
    }
  }

  @Test
  void onlyARunningOrLostRunningLeaseFinishes() {
    LeaseLedger ledger = ledger(4, 4);
    Lease waiting = admit(ledger, "waiting");
    Lease report = reporting(ledger, "report");
    Lease lostWaiting = admit(ledger, "lost");
    ledger.lose(lostWaiting, "404");
    for (Lease lease : List.of(waiting, report, lostWaiting)) {
      LeaseState before = lease.state();
      assertThat(ledger.finish(lease, DONE)).isEqualTo(new Refused(before));
    }
  }

  @Test
  void onlyAWaitingLeaseIsHandedBack() {
    LeaseLedger ledger = ledger(4, 4);
    Lease run = running(ledger, "run");
    Lease report = reporting(ledger, "report");
    Lease lost = admit(ledger, "lost");
    ledger.lose(lost, "404");
    for (Lease lease : List.of(run, report, lost)) {
      LeaseState before = lease.state();
      assertThat(ledger.handBack(lease, "x")).isEqualTo(new Refused(before));
    }
  }

  @Test
  void aLeaseBeingReportedIsNotLostByAHeartbeat404() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = reporting(ledger, "a");
    assertThat(ledger.lose(lease, "404")).isEqualTo(new Refused(new Reporting(DONE)));
    assertThat(lease.cancel().isCancelled()).isFalse();
  }

  @Test
  void aLostLeaseIsNotLostTwice() {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = admit(ledger, "a");
    ledger.lose(lease, "first");
    assertThat(ledger.lose(lease, "second")).isEqualTo(new Refused(new Lost("first", false)));
  }

  @Test
  void onlyALostLeaseNobodyWorksOnIsDropped() {
    LeaseLedger ledger = ledger(4, 4);
    Lease waiting = admit(ledger, "waiting");
    Lease report = reporting(ledger, "report");
    Lease lostRunning = running(ledger, "lost");
    ledger.lose(lostRunning, "404");
    for (Lease lease : List.of(waiting, report, lostRunning)) {
      LeaseState before = lease.state();
      assertThat(ledger.drop(lease)).isEqualTo(new Refused(before));
    }
  }

  @Test
  void onlyAReportingLeaseIsSettled() {
    LeaseLedger ledger = ledger(4, 4);
    Lease waiting = admit(ledger, "waiting");
    Lease run = running(ledger, "run");
    Lease lost = admit(ledger, "lost");
    ledger.lose(lost, "404");
    for (Lease lease : List.of(waiting, run, lost)) {
      LeaseState before = lease.state();
      assertThat(ledger.settled(lease)).isEqualTo(new Refused(before));
    }
  }

  @Test
  void aReleasedLeaseRefusesEveryTransitionSoNothingIsReleasedTwice() {
    LeaseLedger ledger = ledger(2, 2);
    AtomicInteger freed = new AtomicInteger();
    Lease lease = reporting(ledger, "a");
    ledger.settled(lease);
    ledger.onRoomFreed(freed::incrementAndGet);
    Refused refused = new Refused(LeaseState.RELEASED);

    assertThat(ledger.settled(lease)).isEqualTo(refused);
    assertThat(ledger.start(lease)).isEqualTo(refused);
    assertThat(ledger.finish(lease, DONE)).isEqualTo(refused);
    assertThat(ledger.handBack(lease, "x")).isEqualTo(refused);
    assertThat(ledger.lose(lease, "x")).isEqualTo(refused);
    assertThat(ledger.drop(lease)).isEqualTo(refused);
    assertThat(freed).hasValue(0);
    assertThat(ledger.freeRoom()).isEqualTo(2);
  }

  // Waiting on the ledger, on the scheduler's time

  @Test
  void awaitingNoneRunningGivesUpWhenTheSchedulersTimeoutPasses() throws Exception {
    LeaseLedger ledger = ledger(2, 2);
    running(ledger, "a");
    boolean[] result = {true};
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> result[0] = awaitNoneRunning(ledger, Duration.ofSeconds(30)));
    scheduler.awaitPending(1);

    scheduler.advance(Duration.ofSeconds(30));

    waiter.join();
    assertThat(result[0]).isFalse();
  }

  @Test
  void awaitingEmptyEndsWhenTheLastLeaseIsReleased() throws Exception {
    LeaseLedger ledger = ledger(2, 2);
    Lease lease = reporting(ledger, "a");
    boolean[] result = {false};
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    result[0] = ledger.awaitEmpty(Duration.ofSeconds(30));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    scheduler.awaitPending(1);

    ledger.settled(lease);

    waiter.join();
    assertThat(result[0]).isTrue();
    assertThat(scheduler.pending()).as("the timeout's timer is cancelled").isZero();
  }

  private static boolean awaitNoneRunning(LeaseLedger ledger, Duration timeout) {
    try {
      return ledger.awaitNoneRunning(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
