package dev.gollm.processor.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseHeartbeaterTest {
  private final FakeManager manager = new FakeManager();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final LeaseLedger ledger = new LeaseLedger(8, 8, scheduler);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Set<Lease> queue = new HashSet<>();
  private final LeaseHeartbeater heartbeater =
      new LeaseHeartbeater(
          manager,
          ledger,
          new ProcessorMetrics(registry, Clock.systemUTC()),
          queue::remove,
          scheduler);

  private Lease waiting(String id) {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask(id, "data", 0, null), 0L);
    queue.add(lease);
    return lease;
  }

  private Lease running(String id) {
    Lease lease = waiting(id);
    queue.remove(lease);
    ledger.start(lease);
    return lease;
  }

  private double heartbeats(String outcome) {
    return registry.counter("processor.lease.heartbeats", "outcome", outcome).count();
  }

  private double lostCount() {
    return registry.counter("processor.leases.lost").count();
  }

  @Test
  void everyHeldLeaseGetsOneHeartbeatPerRound() {
    waiting("w");
    running("r");
    Lease reporting = running("p");
    ledger.finish(reporting, new Outcome.Completed("text", 1, Duration.ZERO));

    heartbeater.run();

    assertThat(manager.heartbeats()).containsExactlyInAnyOrder("w", "r", "p");
  }

  @Test
  void a404ForAWaitingTaskLosesItsLeaseAndWithdrawsItFromTheQueue() {
    Lease lease = waiting("w");
    manager.takeAway("w");

    heartbeater.run();

    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
    assertThat(queue).isEmpty();
    assertThat(lease.cancel().isCancelled()).isTrue();
    assertThat(lostCount()).isEqualTo(1);
  }

  @Test
  void aLostWaitingTaskAWorkerAlreadyTookIsLeftToThatWorker() {
    Lease lease = waiting("w");
    queue.remove(lease); // a worker has just taken it, not started it yet
    manager.takeAway("w");

    heartbeater.run();

    assertThat(lease.state()).isEqualTo(new LeaseState.Lost("lease lost: " + lost("w"), false));
    assertThat(ledger.heldCount()).isEqualTo(1);
  }

  @Test
  void a404ForARunningTaskCancelsItsWorkAndKeepsItsWorkerSlot() {
    Lease lease = running("r");
    manager.takeAway("r");

    heartbeater.run();

    assertThat(lease.cancel().isCancelled()).isTrue();
    assertThat(lease.state()).isInstanceOf(LeaseState.Lost.class);
    assertThat(ledger.runningCount()).isEqualTo(1);
    assertThat(lostCount()).isEqualTo(1);
  }

  @Test
  void a404WhileTheOutcomeIsBeingReportedIsNotALoss() {
    Lease lease = running("p");
    ledger.finish(lease, new Outcome.Completed("text", 1, Duration.ZERO));
    manager.takeAway("p");

    heartbeater.run();

    assertThat(lease.state()).isInstanceOf(LeaseState.Reporting.class);
    assertThat(lease.cancel().isCancelled()).isFalse();
    assertThat(lostCount()).isZero();
    assertThat(lease.ownedWithin(Duration.ofDays(1), scheduler.nanoTime()))
        .as("the report confirms before it completes")
        .isFalse();
  }

  @Test
  void aHeartbeatAnsweredRecordsTheTaskAsOursAsOfItsSending() {
    Lease lease = running("r");
    scheduler.advance(Duration.ofHours(1));

    heartbeater.run();

    assertThat(lease.ownedWithin(Duration.ofSeconds(1), scheduler.nanoTime())).isTrue();
  }

  @Test
  void aLostLeaseGetsNoMoreHeartbeats() {
    running("r");
    manager.takeAway("r");
    heartbeater.run();

    heartbeater.run();

    assertThat(manager.heartbeats()).containsExactly("r");
    assertThat(lostCount()).isEqualTo(1);
  }

  @Test
  void aFailedHeartbeatIsNotALossAndIsTriedAgainNextRound() {
    Lease lease = running("r");
    manager.failNext(Call.HEARTBEAT, new ManagerException.Unavailable("503", null));

    heartbeater.run();
    heartbeater.run();

    assertThat(lease.state()).isEqualTo(LeaseState.RUNNING);
    assertThat(manager.heartbeats()).containsExactly("r", "r");
  }

  @Test
  void aRejectedHeartbeatIsNotALossEither() {
    Lease lease = running("r");
    manager.failNext(Call.HEARTBEAT, new ManagerException.Rejected("heartbeat: HTTP 400"));

    heartbeater.run();

    assertThat(lease.state()).isEqualTo(LeaseState.RUNNING);
    assertThat(lostCount()).isZero();
  }

  private static String lost(String id) {
    return "task " + id + " is not processing by us (404)";
  }

  @Test
  void heartbeatsAreCountedByOutcome() {
    running("t");

    heartbeater.run();
    manager.failNext(Call.HEARTBEAT, new ManagerException.Unavailable("503", null));
    heartbeater.run();
    manager.takeAway("t");
    heartbeater.run();

    assertThat(heartbeats("ok")).isEqualTo(1);
    assertThat(heartbeats("lost")).isEqualTo(1);
    assertThat(heartbeats("error")).isEqualTo(1);
  }
}
