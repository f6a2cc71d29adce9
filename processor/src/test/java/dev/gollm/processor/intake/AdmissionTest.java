package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.intake.Admission.Source;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How stolen tasks are confirmed before they are queued (claims and steals share the rest). */
@Timeout(30) // a hang guard only
class AdmissionTest {
  private static final Duration CONFIRM_DELAY = Duration.ofSeconds(1);

  private final FakeManager manager = new FakeManager();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final LeaseLedger ledger = new LeaseLedger(8, 100, scheduler);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Lease> queued = new ArrayList<>();
  private final List<List<String>> heartbeatsWhenQueued = new ArrayList<>();
  private final Admission admission =
      new Admission(
          manager,
          ledger,
          new ProcessorMetrics(registry, Clock.systemUTC()),
          lease -> {
            queued.add(lease);
            heartbeatsWhenQueued.add(manager.heartbeats());
          },
          CONFIRM_DELAY,
          scheduler);

  private double claims(String source, String outcome) {
    return registry.counter("processor.claims", "source", source, "outcome", outcome).count();
  }

  private double admittedFrom(String source) {
    return registry.counter("processor.tasks.admitted", "source", source).count();
  }

  private List<String> queuedIds() {
    return queued.stream().map(Lease::taskId).toList();
  }

  @Test
  void aStolenTaskIsHeldUnconfirmedUntilTheConfirmDelayHasPassed() {
    manager.stealable("a", "b");

    Admission.Result result = admission.admit(Source.STEAL, 2);
    scheduler.advance(CONFIRM_DELAY.minusMillis(1));

    assertThat(result).isEqualTo(new Admission.Result(2, 2, 2));
    assertThat(queued).isEmpty();
    assertThat(manager.heartbeats()).isEmpty();
    assertThat(ledger.held()).extracting(Lease::state).containsOnly(LeaseState.CONFIRMING);
    assertThat(ledger.freeRoom()).isEqualTo(6);
  }

  @Test
  void aStolenTaskIsHeartbeatedBeforeItIsQueued() {
    manager.stealable("a", "b");

    admission.admit(Source.STEAL, 2);
    scheduler.advance(CONFIRM_DELAY);

    assertThat(queuedIds()).containsExactly("a", "b");
    assertThat(heartbeatsWhenQueued.getFirst()).containsExactlyInAnyOrder("a", "b");
    assertThat(queued).extracting(Lease::state).containsOnly(LeaseState.WAITING);
  }

  @Test
  void aStolenTaskTheManagerHandedToAnotherStealerIsDroppedUnrunAndItsRoomFreed() {
    manager.stealable("a", "b");

    Admission.Result result = admission.admit(Source.STEAL, 2);
    manager.takeAway("a"); // the other stealer's update lands after our answer
    scheduler.advance(CONFIRM_DELAY);

    assertThat(result.full()).as("the manager had as many as asked").isTrue();
    assertThat(queuedIds()).containsExactly("b");
    assertThat(ledger.held()).extracting(Lease::taskId).containsExactly("b");
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }

  @Test
  void aStolenTaskALeaseHeartbeatFoundLostMeanwhileIsDroppedUnrun() {
    manager.stealable("a");
    admission.admit(Source.STEAL, 1);
    Lease lease = ledger.held().getFirst();

    ledger.lose(lease, "lease heartbeat: 404"); // not in the worker queue: nobody drops it yet
    scheduler.advance(CONFIRM_DELAY);

    assertThat(queued).isEmpty();
    assertThat(ledger.heldCount()).isZero();
  }

  @Test
  void aStolenTaskWhoseConfirmationGetsNoAnswerIsQueuedForTheLeaseHeartbeatsToDecide() {
    manager.stealable("a");
    manager.failNext(Call.HEARTBEAT, new ManagerException.Unavailable("503", null));

    admission.admit(Source.STEAL, 1);
    scheduler.advance(CONFIRM_DELAY);

    assertThat(queuedIds()).containsExactly("a");
    assertThat(queued.getFirst().ownedWithin(Duration.ofDays(1), scheduler.nanoTime()))
        .as("nothing found it ours yet")
        .isFalse();
  }

  @Test
  void aStolenTaskIsOursAsOfItsConfirmationNotItsSteal() {
    manager.stealable("a");

    admission.admit(Source.STEAL, 1);
    scheduler.advance(CONFIRM_DELAY);

    Lease lease = queued.getFirst();
    assertThat(lease.ownedWithin(Duration.ofMillis(1), scheduler.nanoTime())).isTrue();
  }

  @Test
  void aClaimedTaskIsOursAsOfTheClaimsSending() {
    manager.pending("a");

    admission.admit(Source.CLAIM, 1);
    scheduler.advance(Duration.ofSeconds(10));

    Lease lease = queued.getFirst();
    assertThat(lease.ownedWithin(Duration.ofSeconds(10).plusNanos(1), scheduler.nanoTime()))
        .isTrue();
    assertThat(lease.ownedWithin(Duration.ofSeconds(10), scheduler.nanoTime())).isFalse();
  }

  @Test
  void aClaimedTaskIsQueuedAtOnceWithoutAConfirmingHeartbeat() {
    manager.pending("a");

    Admission.Result result = admission.admit(Source.CLAIM, 3);

    assertThat(result).isEqualTo(new Admission.Result(3, 1, 1));
    assertThat(result.full()).isFalse();
    assertThat(queuedIds()).containsExactly("a");
    assertThat(manager.heartbeats()).isEmpty();
    assertThat(ledger.freeRoom()).isEqualTo(7);
  }

  @Test
  void claimsAreCountedByHowTheyCameBack() {
    manager.pending("a", "b", "c");

    admission.admit(Source.CLAIM, 2);
    admission.admit(Source.CLAIM, 2);
    admission.admit(Source.CLAIM, 2);
    manager.failNext(Call.CLAIM, new ManagerException.Unavailable("503", null));
    try {
      admission.admit(Source.CLAIM, 2);
    } catch (ManagerException.Unavailable expected) {
      // counted, then passed on to the claimer
    }

    assertThat(claims("claim", "full")).isEqualTo(1);
    assertThat(claims("claim", "partial")).isEqualTo(1);
    assertThat(claims("claim", "empty")).isEqualTo(1);
    assertThat(claims("claim", "error")).isEqualTo(1);
    assertThat(admittedFrom("claim")).isEqualTo(3);
  }

  @Test
  void aCallForWhichNoRoomCouldBeReservedIsNotCounted() {
    ledger.reserve(8);

    admission.admit(Source.CLAIM, 1);

    assertThat(registry.find("processor.claims").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void aStolenTaskCountsAsAdmittedOnlyOnceItsConfirmationSaysItIsOurs() {
    manager.stealable("a", "b");

    admission.admit(Source.STEAL, 2);
    manager.takeAway("a");
    assertThat(admittedFrom("steal")).isZero();
    scheduler.advance(CONFIRM_DELAY);

    assertThat(claims("steal", "full")).isEqualTo(1);
    assertThat(admittedFrom("steal")).isEqualTo(1);
  }
}
