package dev.gollm.processor.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.pool.WorkerPool;
import dev.gollm.processor.task.Backoff;
import dev.gollm.processor.task.OutcomeReporter;
import dev.gollm.processor.task.TaskRunner;
import dev.gollm.processor.testing.FakeManager;
import dev.gollm.processor.testing.FakeManager.Call;
import dev.gollm.processor.testing.FakeManager.Report;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stop sequence on a manual clock: every wait ends when the test moves time. */
@Timeout(30) // a hang guard only
class GracefulStopTest {
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final Duration REPORT_DEADLINE = Duration.ofSeconds(10);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final FakeManager manager = new FakeManager();
  private final LeaseLedger ledger = new LeaseLedger(4, 4, scheduler);
  private final OutcomeReporter reporter =
      new OutcomeReporter(
          manager,
          ledger,
          new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
          new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1)),
          scheduler,
          Duration.ofSeconds(30));
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private WorkerPool pool;

  private GracefulStop stop(Function<Lease, Outcome> runner) {
    pool = new WorkerPool(1, ledger, runner, reporter::settleLater, scheduler);
    pool.start();
    return new GracefulStop(
        List.of(() -> closed.add("claimer"), () -> closed.add("stealing")),
        pool,
        ledger,
        reporter,
        () -> closed.add("lease heartbeats"),
        new GracefulStop.Waits(
            GRACE, REPORT_DEADLINE, Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  private Lease submit(String id) {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask(id, "data", 0, null), scheduler.nanoTime());
    pool.submit(lease);
    return lease;
  }

  private static CompletableFuture<Integer> runInBackground(GracefulStop stop) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return stop.run();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        Thread::startVirtualThread);
  }

  @Test
  void waitingTasksAreHandedBackAndARunningOneFinishesWithinTheGrace() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    GracefulStop stop =
        stop(
            lease -> {
              pass(finish);
              return new Outcome.Completed("text", 1, Duration.ZERO);
            });
    submit("running");
    await().until(() -> pool.busyWorkers() == 1);
    submit("waiting");

    CompletableFuture<Integer> left = runInBackground(stop);
    await().until(() -> manager.reports().size() == 1);
    assertThat(manager.reports())
        .containsExactly(new Report("waiting", "requeued", TaskRunner.SHUTDOWN_REASON));
    finish.countDown();

    assertThat(left.get()).isZero();
    assertThat(manager.reports()).contains(new Report("running", "completed", "text"));
    assertThat(closed).containsExactly("claimer", "stealing", "lease heartbeats");
  }

  @Test
  void aTaskStillRunningWhenTheGraceEndsIsCancelledAndHandedBack() throws Exception {
    GracefulStop stop =
        stop(
            lease -> {
              CountDownLatch cancelled = new CountDownLatch(1);
              lease.cancel().onCancel(cancelled::countDown);
              pass(cancelled);
              return new Outcome.HandBack(TaskRunner.SHUTDOWN_REASON);
            });
    Lease running = submit("running");
    await().until(() -> pool.busyWorkers() == 1);

    CompletableFuture<Integer> left = runInBackground(stop);
    scheduler.awaitPending(1); // the grace period
    assertThat(running.cancel().isCancelled()).isFalse();
    scheduler.advance(GRACE);

    assertThat(left.get()).isZero();
    assertThat(running.cancel().reason()).isEqualTo("shutdown grace period over");
    assertThat(manager.reports())
        .containsExactly(new Report("running", "requeued", TaskRunner.SHUTDOWN_REASON));
  }

  @Test
  void handBacksTheManagerCannotTakeAreAbandonedAtTheReportDeadline() throws Exception {
    for (int i = 0; i < 100; i++) {
      manager.failNext(Call.REQUEUE, new ManagerException.Unavailable("connection refused", null));
    }
    GracefulStop stop = stop(lease -> new Outcome.Drop("unused"));
    pool.stopAndDrain(); // keep the worker off the queue: the lease stays waiting
    ledger.reserve(1);
    Lease waiting = ledger.admit(new ClaimedTask("waiting", "data", 0, null), scheduler.nanoTime());
    reporter.handBackLater(waiting, TaskRunner.SHUTDOWN_REASON);

    CompletableFuture<Integer> left = runInBackground(stop);
    await().until(() -> manager.count(Call.REQUEUE) >= 1);
    scheduler.awaitPending(2); // the report's backoff and the report deadline
    scheduler.advance(REPORT_DEADLINE.plusSeconds(1));

    assertThat(left.get()).isZero();
    assertThat(manager.reports()).isEmpty();
    assertThat(ledger.heldCount()).isZero();
  }

  private static void pass(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
