package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.LeaseEvent.Kind;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.manager.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseLogTest {
  private static final long T0 = 1_752_141_600_000L;
  private static final Duration STEAL_AFTER = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong(T0);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

  @Test
  void recordsClaimStealAndCompleteAtTheManagersTimeWithTheOldHeartbeat() {
    try (TaskStore store = TaskStore.open(dir.resolve("m.db"), clock)) {
      LeaseLog log = LeaseLog.install(dir.resolve("m.db"));
      String id = store.insert(List.of(NewTask.of("mug"))).getFirst().id();
      store.claim("original", 5, 300_000);
      now.addAndGet(61_000);
      store.heartbeat(id, "original", null); // heartbeats change no owner: not recorded
      now.addAndGet(61_000);
      store.steal("ours", 2, 300_000, STEAL_AFTER.toMillis(), 0);
      now.addAndGet(1_000);
      store.complete(id, TaskStatus.COMPLETED, "ok", null);

      List<LeaseEvent> events = log.events();

      assertThat(events)
          .extracting(LeaseEvent::kind)
          .containsExactly(Kind.CLAIM, Kind.STEAL, Kind.FINISH);
      LeaseEvent steal = events.get(1);
      assertThat(steal.oldOwner()).isEqualTo("original");
      assertThat(steal.newOwner()).isEqualTo("ours");
      assertThat(steal.oldHeartbeatAt()).isEqualTo(T0 + 61_000);
      assertThat(steal.atMillis()).isEqualTo(T0 + 122_000);
      assertThat(steal.wasStealable(STEAL_AFTER)).isTrue();
      assertThat(events.getFirst().oldHeartbeatAt()).isNull();
    }
  }

  @Test
  void twoStealsWithTheSameSelectLeaveASecondStealOfATaskNoLongerStealable() {
    try (TaskStore store = TaskStore.open(dir.resolve("m.db"), clock)) {
      LeaseLog log = LeaseLog.install(dir.resolve("m.db"));
      store.insert(List.of(NewTask.of("mug")));
      store.claim("original", 5, 300_000);
      now.addAndGet(61_000);
      var seenByA = store.selectStealable("ours-a", 2, STEAL_AFTER.toMillis(), 0);
      var seenByB = store.selectStealable("ours-b", 2, STEAL_AFTER.toMillis(), 0);
      store.assignStolen("ours-a", seenByA, 300_000);
      now.addAndGet(5);
      store.assignStolen("ours-b", seenByB, 300_000);

      List<LeaseEvent> steals = log.events().stream().filter(e -> e.kind() == Kind.STEAL).toList();

      assertThat(steals).extracting(LeaseEvent::newOwner).containsExactly("ours-a", "ours-b");
      assertThat(steals.get(0).wasStealable(STEAL_AFTER)).isTrue();
      assertThat(steals.get(1).oldOwner()).isEqualTo("ours-a");
      assertThat(steals.get(1).wasStealable(STEAL_AFTER)).isFalse();
    }
  }

  @Test
  void aCleanupRequeueIsRecordedAtSqlitesClockSinceItSetsNoUpdateTime() {
    try (TaskStore store = TaskStore.open(dir.resolve("m.db"), clock)) {
      LeaseLog log = LeaseLog.install(dir.resolve("m.db"));
      store.insert(List.of(NewTask.of("mug")));
      store.claim("original", 5, 300_000);
      now.addAndGet(301_000);
      long before = System.currentTimeMillis();
      store.cleanup(300_000);
      long after = System.currentTimeMillis();

      LeaseEvent requeue = log.events().getLast();

      assertThat(requeue.kind()).isEqualTo(Kind.REQUEUE);
      assertThat(requeue.oldOwner()).isEqualTo("original");
      assertThat(requeue.newOwner()).isNull();
      assertThat(requeue.oldHeartbeatAt()).isEqualTo(T0);
      assertThat(requeue.atMillis()).isBetween(before - 1, after + 1);
    }
  }
}
