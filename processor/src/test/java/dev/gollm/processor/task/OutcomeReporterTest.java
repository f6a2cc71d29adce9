package dev.gollm.processor.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.FakeManager.Report;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a hang guard only
class OutcomeReporterTest {
  private static final Duration BASE = Duration.ofMillis(500);
  private static final Duration WINDOW = Duration.ofSeconds(30);

  private final ManualScheduler scheduler = new ManualScheduler().autoAdvance();
  private final FakeManager manager = new FakeManager();
  private final LeaseLedger ledger = new LeaseLedger(4, 4, scheduler);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());
  private final OutcomeReporter reporter =
      new OutcomeReporter(
          manager,
          ledger,
          metrics,
          new Backoff(BASE, Duration.ofSeconds(30), new SplittableRandom(1)),
          scheduler,
          WINDOW);

  /** A task claimed now and finished with {@code outcome}. */
  private Lease finished(String id, Outcome outcome) {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask(id, "data", 0, null), scheduler.nanoTime());
    ledger.start(lease);
    ledger.finish(lease, outcome);
    return lease;
  }

  /** A task claimed longer than the ownership window ago, with no heartbeat since. */
  private Lease finishedLongAfterItsClaim(String id, Outcome outcome) {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask(id, "data", 0, null), scheduler.nanoTime());
    scheduler.advance(WINDOW);
    ledger.start(lease);
    ledger.finish(lease, outcome);
    return lease;
  }

  private static ManagerException.Unavailable down() {
    return new ManagerException.Unavailable("connection refused", null);
  }

  @Test
  void aTaskClaimedWithinTheOwnershipWindowIsCompletedAtOnceAndReleased() {
    Lease lease = finished("t", new Outcome.Completed("a blue mug", 4, Duration.ofSeconds(1)));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.COMPLETE);
    assertThat(manager.reports()).containsExactly(new Report("t", "completed", "a blue mug"));
    assertThat(metrics.snapshot().tasksCompleted()).isEqualTo(1);
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
  }

  @Test
  void aTaskLastFoundOursLongerAgoThanTheWindowIsConfirmedWithAHeartbeatFirst() {
    Lease lease =
        finishedLongAfterItsClaim("t", new Outcome.Completed("a blue mug", 4, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.HEARTBEAT, Call.COMPLETE);
    assertThat(manager.reports()).containsExactly(new Report("t", "completed", "a blue mug"));
  }

  @Test
  void aLeaseHeartbeatWithinTheWindowSparesTheConfirmation() {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask("t", "data", 0, null), scheduler.nanoTime());
    scheduler.advance(WINDOW);
    lease.ownedAsOf(scheduler.nanoTime()); // what a lease heartbeat answered 200 records
    scheduler.advance(WINDOW.minusSeconds(1));
    ledger.start(lease);
    ledger.finish(lease, new Outcome.Completed("text", 1, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.COMPLETE);
  }

  @Test
  void aTaskWhoseOwnershipIsInDoubtIsConfirmedFirst() {
    Lease lease = finished("t", new Outcome.Completed("text", 1, Duration.ZERO));
    lease.ownershipDoubted(); // what a lease heartbeat's 404 during the report records

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.HEARTBEAT, Call.COMPLETE);
  }

  @Test
  void aStolenTaskIsConfirmedBeforeItsResultGoesIn() {
    ledger.reserve(1);
    Lease lease = ledger.admitUnconfirmed(new ClaimedTask("t", "data", 0, null));
    ledger.confirm(lease); // the steal's confirmation could not reach the manager
    ledger.start(lease);
    ledger.finish(lease, new Outcome.Completed("text", 1, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.HEARTBEAT, Call.COMPLETE);
  }

  @Test
  void aFailedTaskIsCompletedAsFailedWithTheReason() {
    Lease lease =
        finished(
            "t", new Outcome.Failed(Outcome.Kind.INVALID_TASK, "temperature: expected a number"));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.COMPLETE);
    assertThat(manager.reports())
        .containsExactly(new Report("t", "failed", "temperature: expected a number"));
    assertThat(metrics.snapshot().tasksFailed()).isEqualTo(1);
    assertThat(registry.counter("processor.task.failures", "kind", "invalid_task").count())
        .isEqualTo(1);
  }

  @Test
  void aHandedBackTaskIsRequeuedWithTheReason() {
    Lease lease = finished("t", new Outcome.HandBack("gave up after 4 attempts"));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.REQUEUE);
    assertThat(manager.reports())
        .containsExactly(new Report("t", "requeued", "gave up after 4 attempts"));
    assertThat(metrics.snapshot().tasksRequeued()).isEqualTo(1);
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aReportTheManagerCannotTakeIsRetriedWithGrowingBackoffUntilItLands() {
    manager.failNext(Call.COMPLETE, down()).failNext(Call.COMPLETE, down());
    manager.failNext(Call.HEARTBEAT, down());
    Lease lease = finishedLongAfterItsClaim("t", new Outcome.Completed("text", 1, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.reports()).containsExactly(new Report("t", "completed", "text"));
    assertThat(scheduler.requestedDelays())
        .hasSize(3)
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(BASE.multipliedBy(4)));
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
  }

  @Test
  void aLeaseLostBeforeTheReportReportsNothingAndCountsALostLease() {
    manager.takeAway("t");
    Lease lease = finishedLongAfterItsClaim("t", new Outcome.Completed("text", 1, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.HEARTBEAT);
    assertThat(manager.reports()).isEmpty();
    assertThat(registry.counter("processor.leases.lost").count()).isEqualTo(1);
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
  }

  @Test
  void aReportTheManagerRejectsIsNotRetried() {
    manager.failNext(Call.COMPLETE, new ManagerException.Rejected("409 conflict"));
    Lease lease = finished("t", new Outcome.Completed("text", 1, Duration.ZERO));

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.COMPLETE);
    assertThat(scheduler.requestedDelays()).isEmpty();
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
  }

  @Test
  void afterTheShutdownDeadlineAFailingReportIsAbandonedAtOnce() {
    manager.failNext(Call.REQUEUE, down());
    Lease lease = finished("t", new Outcome.HandBack("processor shutting down"));
    reporter.abandonReports();

    reporter.settle(lease);

    assertThat(manager.calls()).containsExactly(Call.REQUEUE);
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
  }

  @Test
  void anInterruptedHandBackGivesUpInsteadOfRetryingWithoutPause() throws Exception {
    ManualScheduler manual = new ManualScheduler(); // time never moves: only the interrupt ends it
    OutcomeReporter interrupted =
        new OutcomeReporter(
            manager,
            ledger,
            metrics,
            new Backoff(BASE, Duration.ofSeconds(30), new SplittableRandom(1)),
            manual,
            WINDOW);
    for (int i = 0; i < 500; i++) {
      manager.failNext(Call.REQUEUE, down());
    }
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask("t", "a mug", 0, null), 0L);
    ledger.handBack(lease, "processor shutting down");

    Thread handBack =
        Thread.ofVirtual()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  interrupted.settle(lease);
                });

    await().until(() -> !handBack.isAlive());
    assertThat(manager.count(Call.REQUEUE)).as("manager calls").isEqualTo(1);
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aHandBackOfALeaseLostMeanwhileDropsIt() {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask("t", "a mug", 0, null), 0L);
    ledger.lose(lease, "404");

    reporter.handBackLater(lease, "processor shutting down");

    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
    assertThat(manager.calls()).isEmpty();
  }
}
