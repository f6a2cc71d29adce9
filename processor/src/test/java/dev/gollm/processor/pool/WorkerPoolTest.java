package dev.gollm.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerTask;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private final LeaseLedger ledger = new LeaseLedger(10, 10);

  private Lease lease(String id, int priority) {
    ledger.reserve(1);
    return ledger.admit(new ManagerTask(id, "data", priority, null, null));
  }

  @Test
  void waitingTasksRunHighestPriorityFirstThenInArrivalOrder() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    WorkerPool pool =
        new WorkerPool(
            1,
            ledger,
            l -> {
              if (l.taskId().equals("blocker")) {
                pass(gate);
              }
              order.add(l.taskId());
              ledger.release(l);
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
  void stoppingHandsBackWaitingTasksAndLetsTheRunningOneFinish() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    WorkerPool pool =
        new WorkerPool(
            1,
            ledger,
            l -> {
              pass(gate);
              done.add(l.taskId());
              ledger.release(l);
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
}
