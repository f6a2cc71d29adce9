package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RescuesTest {
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
  private static final Instant END = START.plusSeconds(300);
  private static final Duration STEAL_AFTER = Duration.ofSeconds(60);
  private static final String ORIGINAL = "original";

  private static long ms(double seconds) {
    return START.plusMillis(Math.round(seconds * 1000)).toEpochMilli();
  }

  private static LeaseEvent claim(String id, double at) {
    return new LeaseEvent(
        id, TaskStatus.PENDING, TaskStatus.PROCESSING, null, ORIGINAL, null, ms(at));
  }

  private static LeaseEvent steal(String id, String from, String to, double heartbeat, double at) {
    return new LeaseEvent(
        id, TaskStatus.PROCESSING, TaskStatus.PROCESSING, from, to, ms(heartbeat), ms(at));
  }

  private static LeaseEvent requeue(String id, double heartbeat, double at) {
    return new LeaseEvent(
        id, TaskStatus.PROCESSING, TaskStatus.PENDING, ORIGINAL, null, ms(heartbeat), ms(at));
  }

  private static LeaseEvent finish(String id, double heartbeat, double at) {
    return new LeaseEvent(
        id, TaskStatus.PROCESSING, TaskStatus.COMPLETED, ORIGINAL, ORIGINAL, ms(heartbeat), ms(at));
  }

  /** The original claims {@code ids} at 0 s. */
  private static List<LeaseEvent> claimed(String... ids) {
    List<LeaseEvent> events = new ArrayList<>();
    for (String id : ids) {
      events.add(claim(id, 0));
    }
    return events;
  }

  private static Rescues rescues(
      List<LeaseEvent> events, double oursReady, Set<String> stranded, int ownerMinimum) {
    return Rescues.of(
        events,
        END,
        START.plusMillis(Math.round(oursReady * 1000)),
        ORIGINAL,
        stranded,
        STEAL_AFTER,
        ownerMinimum);
  }

  @Test
  void strandedTasksAreSplitByHowTheyFirstLeftTheOriginalUpToTheEnd() {
    List<LeaseEvent> events = claimed("s1", "s2", "s3", "s4", "x");
    events.add(steal("s1", ORIGINAL, "ours-a", 0, 64));
    events.add(steal("s1", "ours-a", "ours-b", 64, 200)); // not a rescue again
    events.add(requeue("s2", 0, 250));
    events.add(requeue("s3", 0, 301)); // after the end
    events.add(steal("x", ORIGINAL, "ours-a", 0, 61)); // a task it did not strand

    Rescues r = rescues(events, 5, Set.of("s1", "s2", "s3", "s4"), 0);

    assertThat(r.bySteal()).isEqualTo(1);
    assertThat(r.byCleanup()).isEqualTo(1);
    assertThat(r.heartbeatRescueDelayS()).containsExactly(4.0, 190.0);
  }

  @Test
  void aStolenTaskWaitedFromItsThresholdOrFromOursReadyIfThatWasLater() {
    List<LeaseEvent> events = claimed("s1", "s2");
    events.add(steal("s1", ORIGINAL, "ours-a", 0, 72)); // stealable at 60, ours ready at 70
    events.add(steal("s2", ORIGINAL, "ours-a", 0, 73));

    assertThat(rescues(events, 70, Set.of("s1", "s2"), 0).stealableWaitS())
        .containsExactly(2.0, 3.0);
    assertThat(rescues(events, 5, Set.of("s1", "s2"), 0).stealableWaitS())
        .containsExactly(12.0, 13.0);
  }

  @Test
  void aTaskNeverStolenWaitedUntilTheEndOrItsRequeue() {
    List<LeaseEvent> events = claimed("s1", "s2");
    events.add(requeue("s1", 0, 120));

    Rescues r = rescues(events, 5, Set.of("s1", "s2"), 0);

    assertThat(r.stealableWaitS()).containsExactly(60.0, 240.0);
    assertThat(r.notStolenWhileStealable()).isEqualTo(2);
  }

  @Test
  void tasksLeftWhenTheOwnerIsDownToTheMinimumAreOutOfReachFromThen() {
    // Eight stranded, minimum 5: three can be stolen; from the third steal on the rest are safe.
    List<LeaseEvent> events = claimed("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
    events.add(steal("s1", ORIGINAL, "ours-a", 0, 61));
    events.add(steal("s2", ORIGINAL, "ours-a", 0, 62));
    events.add(steal("s3", ORIGINAL, "ours-b", 0, 65));

    Rescues r = rescues(events, 5, Set.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"), 5);

    assertThat(r.bySteal()).isEqualTo(3);
    assertThat(r.stealableWaitS()).containsExactly(1.0, 2.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0);
    assertThat(r.notStolenWhileStealable()).isEqualTo(5);
  }

  @Test
  void tasksStillHeldAtTheMinimumBeforeTheyBecameStealableWereNeverStealable() {
    // It works on four of its nine itself; at 30 s it holds five, before anything is stealable.
    List<LeaseEvent> events = claimed("s1", "s2", "s3", "s4", "s5", "w1", "w2", "w3", "w4");
    events.add(finish("w1", 0, 1));
    events.add(finish("w2", 0, 2));
    events.add(finish("w3", 0, 3));
    events.add(finish("w4", 0, 30));

    Rescues r = rescues(events, 5, Set.of("s1", "s2", "s3", "s4", "s5"), 5);

    assertThat(r.stealableWaitS()).isEmpty();
    assertThat(r.notStolenWhileStealable()).isZero();
  }

  @Test
  void aStealThatHitATaskNoLongerStealableIsADoubleHandOut() {
    List<LeaseEvent> events = claimed("s1");
    events.add(steal("s1", ORIGINAL, "ours-a", 0, 61));
    events.add(steal("s1", "ours-a", "ours-b", 61, 61.002));
    events.add(
        new LeaseEvent(
            "s2", TaskStatus.COMPLETED, TaskStatus.COMPLETED, "ours-a", "ours-b", ms(0), ms(62)));

    assertThat(rescues(events, 5, Set.of("s1"), 0).doubleHandOuts()).isEqualTo(2);
  }
}
