package dev.gollm.processor.intake;

import static dev.gollm.processor.testing.FakeManager.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.task.Backoff;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The claimer's decisions, stepped by hand on a manual clock against an in-memory manager. */
@Timeout(30) // a hang guard only
class ClaimerTest {
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final Duration SAFETY = Duration.ofSeconds(30);
  private static final Duration ERROR_BASE = Duration.ofSeconds(1);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final FakeManager manager = new FakeManager();
  private final ProcessorMetrics metrics =
      new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
  private final List<Lease> admitted = new CopyOnWriteArrayList<>();
  private final ManagerBacklog backlog = new ManagerBacklog();
  private LeaseLedger ledger;
  private Claimer claimer;

  /** A claimer over a ledger of {@code capacity}; its first poll is due at once. */
  private Claimer claimer(int capacity, int maxBatch) {
    return claimer(capacity, maxBatch, 1);
  }

  private Claimer claimer(int capacity, int maxBatch, int refillRoom) {
    ledger = new LeaseLedger(capacity, 100, scheduler);
    SplittableRandom random = new SplittableRandom(1);
    claimer =
        new Claimer(
            ledger,
            new Admission(manager, ledger, metrics, admitted::add, Duration.ZERO, scheduler),
            maxBatch,
            refillRoom,
            POLL,
            SAFETY,
            new Backoff(ERROR_BASE, Duration.ofSeconds(60), random),
            random,
            scheduler,
            backlog,
            Duration.ofSeconds(15));
    return claimer;
  }

  /** The first (timer) claim, against an empty manager: later claims need a reason. */
  private Claimer idleClaimer(int capacity, int maxBatch) {
    Claimer c = claimer(capacity, maxBatch);
    assertThat(c.claimIfDue()).isTrue();
    return c;
  }

  private List<Integer> claimsAfterStart() {
    List<Integer> sizes = manager.claimSizes();
    return sizes.subList(1, sizes.size());
  }

  private void finishOne() {
    Lease lease = admitted.remove(0);
    ledger.start(lease);
    ledger.finish(lease, new Outcome.Drop("done"));
  }

  private List<String> admittedIds() {
    return admitted.stream().map(Lease::taskId).toList();
  }

  @Test
  void theFirstClaimIsDueAtStartAndSizedToTheRoomCappedByTheBatchSize() {
    manager.pending("a", "b", "c", "d", "e", "f", "g");
    claimer(8, 5);

    assertThat(claimer.claimIfDue()).isTrue();

    assertThat(manager.claimSizes()).containsExactly(5);
    assertThat(admittedIds()).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void aWakeUpClaimsAtOnceWithoutWaitingForThePoll() {
    idleClaimer(4, 5);
    manager.pending("a");

    claimer.wake();

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(admittedIds()).containsExactly("a");
  }

  @Test
  void wakeUpsThatArriveTogetherCoalesceIntoOneClaim() {
    idleClaimer(4, 5);
    manager.pending("a", "b", "c");

    claimer.wake();
    claimer.wake();
    claimer.wake();

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(claimer.claimIfDue()).isFalse();
    assertThat(claimsAfterStart()).containsExactly(4);
  }

  @Test
  void withoutAWakeUpNothingIsClaimedBeforeThePollIntervalPasses() {
    idleClaimer(4, 5);
    manager.pending("a");

    scheduler.advance(POLL.multipliedBy(8).dividedBy(10)); // jitter is ±10%
    assertThat(claimer.claimIfDue()).isFalse();
    scheduler.advance(POLL.multipliedBy(3).dividedBy(10));

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(admittedIds()).containsExactly("a");
  }

  @Test
  void aClaimThatCameBackFullIsRepeatedAsSoonAsRoomFrees() {
    manager.pending("a", "b", "c", "d");
    claimer(2, 5);
    assertThat(claimer.claimIfDue()).isTrue(); // full: a backlog
    assertThat(backlog.likely()).isTrue();
    assertThat(claimer.claimIfDue()).as("no room").isFalse();

    finishOne();

    assertThat(claimer.claimIfDue()).as("no timer needed").isTrue();
    assertThat(manager.claimSizes()).containsExactly(2, 1);
    assertThat(admittedIds()).containsExactly("b", "c");
  }

  @Test
  void underABacklogAClaimWaitsUntilTheRefillRoomIsFree() {
    manager.pending("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    claimer(8, 8, 2);
    assertThat(claimer.claimIfDue()).isTrue(); // full: a backlog
    assertThat(backlog.likely()).isTrue();

    finishOne();
    assertThat(claimer.claimIfDue()).as("one place free, seven tasks held").isFalse();
    finishOne();

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(manager.claimSizes()).containsExactly(8, 2);
  }

  @Test
  void underABacklogAWakeUpOrThePollStillClaimsASinglePlace() {
    manager.pending("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
    claimer(8, 8, 2);
    assertThat(claimer.claimIfDue()).isTrue();
    finishOne();

    claimer.wake();
    assertThat(claimer.claimIfDue()).as("woken").isTrue();
    finishOne();
    assertThat(claimer.claimIfDue()).isFalse();
    scheduler.advance(POLL.multipliedBy(11).dividedBy(10));

    assertThat(claimer.claimIfDue()).as("the poll is due").isTrue();
    assertThat(manager.claimSizes()).containsExactly(8, 1, 1);
  }

  @Test
  void aClaimThatCameBackShortWaitsForTheNextReasonEvenWhenRoomFrees() {
    manager.pending("a");
    claimer(4, 5);
    assertThat(claimer.claimIfDue()).isTrue(); // one of four: no backlog
    assertThat(backlog.likely()).isFalse();
    manager.pending("b");

    finishOne();

    assertThat(claimer.claimIfDue()).isFalse();
  }

  @Test
  void whilePushIsUpThePollFallsBackToTheSafetyCadence() {
    idleClaimer(4, 5);
    claimer.pushUp();
    assertThat(claimer.claimIfDue()).as("push up claims what arrived meanwhile").isTrue();

    scheduler.advance(POLL.multipliedBy(2));
    assertThat(claimer.claimIfDue()).isFalse();
    scheduler.advance(SAFETY);

    assertThat(claimer.claimIfDue()).isTrue();
  }

  @Test
  void whenPushGoesDownThePollComesBackToThePollInterval() {
    idleClaimer(4, 5);
    claimer.pushUp();
    claimer.claimIfDue(); // next poll at the safety cadence

    claimer.pushDown();

    scheduler.advance(POLL.multipliedBy(11).dividedBy(10));
    assertThat(claimer.claimIfDue()).isTrue();
  }

  @Test
  void aFailedClaimBacksOffAndWakeUpsDoNotBypassTheBackoff() {
    claimer(4, 5);
    manager.failNext(Call.CLAIM, new ManagerException.Unavailable("503", null));
    manager.failNext(Call.CLAIM, new ManagerException.Unavailable("503", null));
    assertThat(claimer.claimIfDue()).isTrue(); // fails: first backoff up to 1 s
    claimer.wake();
    assertThat(claimer.claimIfDue()).isFalse();

    scheduler.advance(ERROR_BASE);
    assertThat(claimer.claimIfDue()).isTrue(); // fails again: up to 2 s
    scheduler.advance(ERROR_BASE);
    manager.pending("a");
    scheduler.advance(ERROR_BASE);

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(admittedIds()).containsExactly("a");
    assertThat(ledger.freeRoom()).as("failed claims returned their reservations").isEqualTo(3);
  }

  @Test
  void afterAFailureAWorkingClaimMakesWakeUpsEagerAgain() {
    claimer(4, 5);
    manager.failNext(Call.CLAIM, new ManagerException.Unavailable("503", null));
    claimer.claimIfDue();
    scheduler.advance(ERROR_BASE);
    claimer.claimIfDue(); // works

    manager.pending("a");
    claimer.wake();

    assertThat(claimer.claimIfDue()).isTrue();
    assertThat(admittedIds()).containsExactly("a");
  }

  @Test
  void tasksBeyondTheBatchAskedForAreIgnoredAndTheirRoomIsNotTaken() {
    claimer(2, 5);
    manager.answerNextClaim(List.of(task("a"), task("b"), task("c"), task("d")));

    claimer.claimIfDue();

    assertThat(admittedIds()).containsExactly("a", "b");
    assertThat(ledger.heldCount()).isEqualTo(2);
    assertThat(ledger.freeRoom()).isZero();
  }

  @Test
  void aTaskWithoutAnIdIsIgnoredAndItsReservationReturned() {
    claimer(3, 5);
    manager.answerNextClaim(List.of(new ManagerTask(null, "data", 0, null, null), task("a")));

    claimer.claimIfDue();

    assertThat(admittedIds()).containsExactly("a");
    assertThat(ledger.freeRoom()).isEqualTo(2);
  }

  @Test
  void aTaskAlreadyHeldIsNotAdmittedAgain() {
    manager.pending("a");
    claimer(3, 5);
    claimer.claimIfDue();
    manager.answerNextClaim(List.of(task("a")));
    claimer.wake();

    claimer.claimIfDue();

    assertThat(admittedIds()).containsExactly("a");
    assertThat(ledger.freeRoom()).isEqualTo(2);
  }

  @Test
  void theClaimerThreadClaimsOnAWakeUpAndStopsOnClose() {
    idleClaimer(4, 5).start();
    manager.pending("a");

    claimer.wake();

    await().until(() -> admitted.size() == 1);
    assertThatCode(claimer::close).doesNotThrowAnyException();
  }

  @Test
  void theClaimerThreadClaimsWhenTheManualClockReachesThePoll() {
    idleClaimer(4, 5).start();
    manager.pending("a");
    List<Integer> before = new ArrayList<>(manager.claimSizes());

    await().until(() -> scheduler.pending() == 1); // the thread waits for its poll timer
    scheduler.advance(POLL.multipliedBy(2));

    await().until(() -> admitted.size() == 1);
    assertThat(manager.claimSizes()).hasSize(before.size() + 1);
    claimer.close();
  }

  @Test
  void aClaimerThatNeverStartedClosesWithoutError() {
    claimer(4, 5);
    assertThatCode(claimer::close).doesNotThrowAnyException();
    assertThat(manager.calls()).isEmpty();
  }
}
