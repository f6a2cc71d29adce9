package dev.gollm.processor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {
  private final SystemScheduler scheduler = new SystemScheduler();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicBoolean done = new AtomicBoolean();

  @AfterEach
  void stop() {
    scheduler.close();
  }

  @Test
  void aTimedWaitEndsWhenTheConditionIsSignalledAndSetsNoTimer() throws Exception {
    CompletableFuture<Boolean> waited = waitInBackground(Duration.ofMinutes(1));
    await().until(this::someoneWaits);

    assertThat(scheduler.executor().getQueue()).isEmpty();
    signal();

    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTimedWaitGivesUpOnceTheTimeoutHasPassed() throws Exception {
    assertThat(waitInBackground(Duration.ofMillis(5)).get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aConditionThatAlreadyHoldsNeedsNoWait() throws Exception {
    done.set(true);

    assertThat(waitInBackground(Duration.ZERO).get(10, TimeUnit.SECONDS)).isTrue();
  }

  private CompletableFuture<Boolean> waitInBackground(Duration timeout) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              lock.lock();
              try {
                result.complete(scheduler.awaitUntil(lock, changed, done::get, timeout));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              } finally {
                lock.unlock();
              }
            });
    return result;
  }

  private boolean someoneWaits() {
    lock.lock();
    try {
      return lock.hasWaiters(changed);
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      done.set(true);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
