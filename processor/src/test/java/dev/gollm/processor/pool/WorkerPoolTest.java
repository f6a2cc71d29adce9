package dev.gollm.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a hang guard only
class WorkerPoolTest {
  private static final Outcome DONE = new Outcome.Completed("text", 1, Duration.ZERO);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final LeaseLedger ledger = new LeaseLedger(10, 10, scheduler);
  private final List<Lease> reported = new CopyOnWriteArrayList<>();

  private Lease lease(String id, int priority) {
    ledger.reserve(1);
    return ledger.admit(new ClaimedTask(id, "data", priority, null), 0L);
  }

  private WorkerPool pool(int workers, Function<Lease, Outcome> runner) {
    return new WorkerPool(workers, ledger, runner, reported::add, scheduler);
  }

  @Test
  void waitingTasksRunHighestPriorityFirstThenInArrivalOrder() {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    WorkerPool pool =
        pool(
            1,
            l -> {
              if (l.taskId().equals("blocker")) {
                pass(gate);
              }
              order.add(l.taskId());
              return DONE;
            });
    pool.start();
    pool.submit(lease("blocker", 0));
    await().until(() -> pool.busyWorkers() == 1);
    pool.submit(lease("low-1", 0));
    pool.submit(lease("high", 5));
    pool.submit(lease("low-2", 0));
    gate.countDown();
    await().until(() -> order.size() == 4);
    assertThat(order).containsExactly("blocker", "high", "low-1", "low-2");
  }

  @Test
  void aFinishedLeaseGoesOnToReportingWithItsOutcome() {
    WorkerPool pool = pool(1, l -> DONE);
    pool.start();
    Lease lease = lease("a", 0);
    pool.submit(lease);

    await().until(() -> reported.contains(lease));
    assertThat(lease.state()).isEqualTo(new LeaseState.Reporting(DONE));
  }

  /** Runs "first" to its end, then "next" with {@code next}; both are queued before the start. */
  private WorkerPool firstThenNext(Function<WorkerPool, Outcome> next) {
    AtomicReference<WorkerPool> self = new AtomicReference<>();
    WorkerPool pool = pool(1, l -> l.taskId().equals("first") ? DONE : next.apply(self.get()));
    self.set(pool);
    pool.submit(lease("first", 0));
    pool.submit(lease("next", 0));
    return pool;
  }

  private boolean reportedTask(String id) {
    return reported.stream().anyMatch(l -> l.taskId().equals(id));
  }

  /**
   * Runs "first", then "next", which does {@code step}; says whether first's report had gone before
   * and after the step.
   */
  private List<Boolean> firstReportedAround(Consumer<WorkerPool> step) {
    List<Boolean> firstReported = new CopyOnWriteArrayList<>();
    WorkerPool pool =
        firstThenNext(
            self -> {
              firstReported.add(reportedTask("first"));
              step.accept(self);
              firstReported.add(reportedTask("first"));
              return DONE;
            });
    pool.start();
    await().until(() -> reported.size() == 2);
    return firstReported;
  }

  @Test
  void whileAnotherTaskWaitsAFinishedTasksReportWaitsUntilTheNextRequestIsSent() {
    assertThat(firstReportedAround(WorkerPool::requestSent)).containsExactly(false, true);
  }

  @Test
  void aHeldReportGoesWhenTheHoldLimitPassesWithoutARequest() {
    assertThat(firstReportedAround(self -> scheduler.advance(WorkerPool.REPORT_HOLD_LIMIT)))
        .containsExactly(false, true);
  }

  @Test
  void aHeldReportGoesWhenTheNextRunEndsWithoutARequest() {
    WorkerPool pool = firstThenNext(self -> DONE);

    pool.start();

    await().until(() -> reported.size() == 2);
    assertThat(reported).extracting(Lease::taskId).containsExactly("first", "next");
    assertThat(scheduler.pending()).isZero(); // the hold limit's timer went with it
  }

  @Test
  void aRequestSentByAnotherThreadDoesNotReleaseAWorkersHeldReport() {
    assertThat(firstReportedAround(self -> join(Thread.ofVirtual().start(self::requestSent))))
        .containsExactly(false, false);
  }

  @Test
  void aLeaseLostWhileWaitingIsDroppedByTheWorkerThatTakesIt() {
    WorkerPool pool = pool(1, l -> DONE);
    Lease lease = lease("a", 0);
    ledger.lose(lease, "404");
    pool.submit(lease);

    pool.start();

    await().until(() -> ledger.heldCount() == 0);
    assertThat(lease.state()).isEqualTo(LeaseState.RELEASED);
    assertThat(reported).isEmpty();
  }

  @Test
  void anUnexpectedErrorHandsTheTaskBack() {
    WorkerPool pool =
        pool(
            1,
            l -> {
              throw new IllegalStateException("bug");
            });
    pool.start();
    Lease lease = lease("a", 0);
    pool.submit(lease);

    await().until(() -> reported.contains(lease));
    assertThat(lease.state())
        .isEqualTo(
            new LeaseState.Reporting(
                new Outcome.HandBack("processor error: java.lang.IllegalStateException: bug")));
  }

  @Test
  void stoppingHandsBackWaitingTasksAndLetsTheRunningOneFinish() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    WorkerPool pool =
        pool(
            1,
            l -> {
              pass(gate);
              done.add(l.taskId());
              return DONE;
            });
    pool.start();
    pool.submit(lease("running", 0));
    await().until(() -> pool.busyWorkers() == 1);
    Lease waiting = lease("waiting", 0);
    pool.submit(waiting);

    List<Lease> drained = pool.stopAndDrain();

    assertThat(drained).containsExactly(waiting);
    assertThat(pool.submit(lease("late", 0))).isFalse();
    gate.countDown();
    assertThat(pool.awaitWorkers(Duration.ofSeconds(10))).isTrue();
    assertThat(done).containsExactly("running");
  }

  private static void pass(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
