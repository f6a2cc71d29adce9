package dev.gollm.processor.intake;

import static dev.gollm.processor.testing.FakeManager.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stealer's decisions, stepped by hand on a manual clock against an in-memory manager. */
@Timeout(30) // a hang guard only
class WorkStealerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final FakeManager manager = new FakeManager();
  private final ProcessorMetrics metrics =
      new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
  private final List<Lease> admitted = new CopyOnWriteArrayList<>();
  private final AtomicInteger claimerWakeUps = new AtomicInteger();
  private LeaseLedger ledger;

  /** Four workers and as many prefetched: capacity eight. */
  private WorkStealer stealer(int maxCount, double minFreeShare, long seed) {
    ledger = new LeaseLedger(8, 100, scheduler);
    return new WorkStealer(
        ledger,
        new Admission(manager, ledger, metrics, admitted::add, Duration.ZERO, scheduler),
        4,
        maxCount,
        minFreeShare,
        INTERVAL,
        claimerWakeUps::incrementAndGet,
        new SplittableRandom(seed),
        scheduler,
        Duration.ofSeconds(15));
  }

  private WorkStealer stealer(int maxCount, double minFreeShare) {
    return stealer(maxCount, minFreeShare, 1);
  }

  /** A stealer whose first round is due. */
  private WorkStealer dueStealer(int maxCount, double minFreeShare) {
    WorkStealer stealer = stealer(maxCount, minFreeShare);
    scheduler.advance(INTERVAL);
    return stealer;
  }

  /** Runs the confirmations of the steals made so far (AdmissionTest covers them). */
  private List<String> confirmed() {
    scheduler.advance(Duration.ZERO);
    return admitted.stream().map(Lease::taskId).toList();
  }

  private void hold(int n) {
    ledger.reserve(n);
    for (int i = 0; i < n; i++) {
      ledger.admit(new ClaimedTask("held-" + i, "data", 0, null), 0L);
    }
  }

  private void finishOne() {
    scheduler.advance(Duration.ZERO); // stolen leases confirmed, so they may start
    Lease lease = ledger.held().getFirst();
    ledger.start(lease);
    ledger.finish(lease, new Outcome.Drop("done"));
  }

  /** Runs steal calls until none is due; returns how many were made. */
  private int stealWhileDue(WorkStealer stealer) {
    int calls = 0;
    while (stealer.stealIfDue()) {
      calls++;
    }
    return calls;
  }

  @Test
  void theFirstRoundComesWithinTheFirstIntervalAtAPointThatDiffersPerProcessor() {
    manager.stealable("a", "b", "c", "d");
    WorkStealer first = stealer(1, 0.5, 1);
    LeaseLedger firstLedger = ledger;
    WorkStealer second = stealer(1, 0.5, 2);

    long firstDue = -1;
    long secondDue = -1;
    for (int tenth = 1; tenth <= 10; tenth++) {
      scheduler.advance(INTERVAL.dividedBy(10));
      if (firstDue < 0 && first.stealIfDue()) {
        firstDue = tenth;
      }
      if (secondDue < 0 && second.stealIfDue()) {
        secondDue = tenth;
      }
    }

    assertThat(firstDue).isPositive();
    assertThat(secondDue).isPositive().isNotEqualTo(firstDue);
    assertThat(firstLedger.heldCount()).isEqualTo(1);
  }

  @Test
  void roundsFollowEachOtherAtTheIntervalVariedByTwentyPercent() {
    WorkStealer stealer = dueStealer(2, 0.5);
    assertThat(stealer.stealIfDue()).isTrue(); // empty: the round is over

    scheduler.advance(INTERVAL.multipliedBy(79).dividedBy(100));
    assertThat(stealer.stealIfDue()).isFalse();
    scheduler.advance(INTERVAL.multipliedBy(42).dividedBy(100));

    assertThat(stealer.stealIfDue()).isTrue();
    assertThat(manager.stealSizes()).containsExactly(2, 2);
  }

  @Test
  void stealsUpToTheMaxCountWhenEnoughWorkersAreFree() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = dueStealer(2, 0.5);

    assertThat(stealer.stealIfDue()).isTrue();

    assertThat(manager.stealSizes()).containsExactly(2);
    assertThat(confirmed()).containsExactly("a", "b");
  }

  @Test
  void aFullRoundStealsAgainAtOnceUntilTheRoomRunsOut() {
    manager.stealable("a", "b", "c", "d", "e", "f", "g", "h", "i");
    WorkStealer stealer = dueStealer(3, 0.5);

    assertThat(stealWhileDue(stealer)).isEqualTo(3);

    assertThat(manager.stealSizes()).containsExactly(3, 3, 2);
    assertThat(ledger.freeRoom()).isZero();
  }

  @Test
  void afterAFullRoundStealingTakesThePlacesThatFreeWithoutWaitingForTheNextRound() {
    manager.stealable("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    WorkStealer stealer = dueStealer(4, 0.5);
    stealWhileDue(stealer); // 4 + 4: full, and no room left

    finishOne();

    assertThat(stealer.stealIfDue()).isTrue();
    assertThat(manager.stealSizes()).containsExactly(4, 4, 1);
  }

  @Test
  void aShortRoundEndsTheStealingUntilTheNextRound() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = dueStealer(2, 0.5);

    assertThat(stealWhileDue(stealer)).isEqualTo(2); // 2 of 2, then 1 of 2
    finishOne();

    assertThat(stealer.stealIfDue()).isFalse();
    assertThat(manager.stealSizes()).containsExactly(2, 2);
  }

  @Test
  void aFullRoundWakesTheClaimerAndAShortOneDoesNot() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = dueStealer(2, 0.5);

    stealer.stealIfDue();
    assertThat(claimerWakeUps).hasValue(1);
    stealer.stealIfDue();

    assertThat(claimerWakeUps).hasValue(1);
  }

  @Test
  void aBusyProcessorStealsOneTaskPerRoundInsteadOfSkippingIt() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = dueStealer(2, 0.5);
    hold(7); // one place free: a quarter of the workers, below the half required

    assertThat(stealer.stealIfDue()).isTrue();

    assertThat(manager.stealSizes()).containsExactly(1);
    assertThat(confirmed()).containsExactly("a");
  }

  @Test
  void aBusyProcessorWithNoRoomStealsWithTheNextPlaceThatFrees() {
    manager.stealable("a", "b", "c");
    WorkStealer stealer = dueStealer(2, 0.5);
    hold(8);
    assertThat(stealer.stealIfDue()).as("no room").isFalse();

    finishOne();

    assertThat(stealer.stealIfDue()).isTrue();
    assertThat(manager.stealSizes()).containsExactly(1);
  }

  @Test
  void aBusyProcessorKeepsStealingAsPlacesFreeWhileEachCallComesBackFull() {
    manager.stealable("a", "b");
    WorkStealer stealer = dueStealer(2, 0.5);
    hold(8);
    finishOne();
    stealer.stealIfDue(); // a: 1 of 1

    finishOne();
    assertThat(stealer.stealIfDue()).isTrue(); // b: 1 of 1
    finishOne();
    assertThat(stealer.stealIfDue()).isTrue(); // nothing: 0 of 1
    finishOne();

    assertThat(stealer.stealIfDue()).isFalse();
    assertThat(manager.stealSizes()).containsExactly(1, 1, 1);
  }

  @Test
  void asksForNoMoreThanFiveWhateverTheConfiguredMaximum() {
    WorkStealer stealer = dueStealer(50, 0.1);

    stealer.stealIfDue();

    assertThat(manager.stealSizes()).containsExactly(WorkStealer.MANAGER_MAX_STEAL);
  }

  @Test
  void moreTasksThanAskedForAreIgnoredAndNoRoomIsOverTaken() {
    WorkStealer stealer = dueStealer(2, 0.1);
    hold(6);
    manager.answerNextSteal(List.of(task("a"), task("b"), task("c"), task("d")));

    stealer.stealIfDue();

    assertThat(confirmed()).containsExactly("a", "b");
    assertThat(ledger.freeRoom()).isZero();
    assertThat(ledger.heldCount()).isEqualTo(8);
  }

  @Test
  void aFailedStealReturnsItsReservationsAndEndsTheRound() {
    WorkStealer stealer = dueStealer(2, 0.1);
    manager.failNext(Call.STEAL, new ManagerException.Unavailable("503", null));

    assertThat(stealer.stealIfDue()).isTrue();

    assertThat(stealer.stealIfDue()).isFalse();
    assertThat(confirmed()).isEmpty();
    assertThat(ledger.freeRoom()).isEqualTo(8);
  }

  @Test
  void aStolenTaskWithoutAnIdIsIgnored() {
    WorkStealer stealer = dueStealer(2, 0.1);
    manager.answerNextSteal(List.of(new ManagerTask(null, "data", 0, null, null), task("a")));

    stealer.stealIfDue();

    assertThat(confirmed()).containsExactly("a");
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }

  @Test
  void theStealerThreadStealsWhenTheClockReachesTheRoundAndStopsOnClose() throws Exception {
    manager.stealable("a");
    WorkStealer stealer = stealer(2, 0.5).start();
    scheduler.awaitPending(1); // the thread waits for its first round
    scheduler.advance(INTERVAL);

    await().until(() -> confirmed().size() == 1);
    stealer.close();

    assertThat(manager.stealSizes()).containsExactly(2);
    assertThat(scheduler.pending()).as("no timer left behind").isZero();
  }

  @Test
  void aStealerThatNeverStartedClosesWithoutError() {
    stealer(2, 0.5).close();
  }
}
