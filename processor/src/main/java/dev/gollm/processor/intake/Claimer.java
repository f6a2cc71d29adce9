package dev.gollm.processor.intake;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.task.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that claims tasks. It claims a batch sized to the ledger's free room (at most
 * MAX_BATCH_SIZE) when any of these holds and there is room: a wake-up arrived (an SSE
 * task_available), the last claim came back full (a backlog: claim again as soon as room frees), or
 * the poll timer is due. Wake-ups that arrive together coalesce into one claim. Errors back the
 * timer off; work never does.
 */
public final class Claimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Claimer.class);

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final Consumer<Lease> admitted;
  private final int maxBatch;
  private final Duration pollInterval;
  private final Duration pushSafetyInterval;
  private final Backoff errorBackoff;
  private final RandomGenerator random;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean stopping;
  private boolean wakeRequested;
  private boolean backlog;
  private boolean pushUp;
  private long nextPollNanos = System.nanoTime();
  private int errorsInRow;

  /**
   * @param admitted receives each new lease (to queue it for a worker)
   * @param pollInterval the claim cadence without push (POLL_INTERVAL)
   * @param pushSafetyInterval the cadence while push is up, to catch missed events
   */
  public Claimer(
      ManagerApi manager,
      LeaseLedger ledger,
      Consumer<Lease> admitted,
      int maxBatch,
      Duration pollInterval,
      Duration pushSafetyInterval,
      Backoff errorBackoff,
      RandomGenerator random) {
    this.manager = manager;
    this.ledger = ledger;
    this.admitted = admitted;
    this.maxBatch = maxBatch;
    this.pollInterval = pollInterval;
    this.pushSafetyInterval = pushSafetyInterval;
    this.errorBackoff = errorBackoff;
    this.random = random;
    this.thread = Thread.ofVirtual().name("claimer").unstarted(this::loop);
    ledger.onRoomFreed(this::roomFreed);
  }

  public Claimer start() {
    thread.start();
    return this;
  }

  /** A task is (probably) available: claim as soon as there is room. */
  public void wake() {
    signal(() -> wakeRequested = true);
  }

  /** Push delivery is up: poll only at the safety cadence. */
  public void pushUp() {
    signal(
        () -> {
          pushUp = true;
          wakeRequested = true; // what arrived while push was down
        });
  }

  /** Push delivery is down: poll at POLL_INTERVAL. */
  public void pushDown() {
    signal(
        () -> {
          pushUp = false;
          nextPollNanos = Math.min(nextPollNanos, System.nanoTime() + jittered(pollInterval));
        });
  }

  private void roomFreed() {
    signal(() -> {});
  }

  private void signal(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      int wanted;
      lock.lock();
      try {
        wanted = awaitClaimable();
        if (wanted < 0) {
          return;
        }
        wakeRequested = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      claim(wanted);
    }
  }

  /** Waits until a claim is due and there is room; the batch size, or -1 when stopping. */
  private int awaitClaimable() throws InterruptedException {
    while (!stopping) {
      long now = System.nanoTime();
      boolean timerDue = now - nextPollNanos >= 0;
      boolean eager = (wakeRequested || backlog) && errorsInRow == 0;
      if (timerDue || eager) {
        int room = ledger.freeRoom();
        if (room > 0) {
          return Math.min(room, maxBatch);
        }
        changed.await(); // woken when room frees
      } else {
        changed.awaitNanos(nextPollNanos - now);
      }
    }
    return -1;
  }

  private void claim(int wanted) {
    int reserved = ledger.reserve(wanted);
    if (reserved == 0) {
      return;
    }
    List<ManagerTask> tasks;
    try {
      tasks = manager.claim(reserved);
    } catch (ManagerException e) {
      ledger.unreserve(reserved);
      failed(e);
      return;
    }
    int admittedCount = 0;
    int used = 0;
    for (ManagerTask task : tasks) {
      if (used == reserved) {
        // Admitting it would take room no reservation holds (and the ledger refuses that).
        log.warn(
            "the manager handed out {} tasks for a claim of {}; task {} is left to its cleanup",
            tasks.size(),
            reserved,
            task.id());
        continue;
      }
      used++;
      Lease lease = task.id() == null ? null : ledger.admit(task);
      if (lease != null) {
        admittedCount++;
        admitted.accept(lease);
      }
    }
    ledger.unreserve(reserved - used);
    if (!tasks.isEmpty()) {
      log.debug("claimed {} of {} asked", tasks.size(), reserved);
    }
    lock.lock();
    try {
      if (errorsInRow > 0) {
        log.info("claims work again after {} failures", errorsInRow);
      }
      errorsInRow = 0;
      backlog = admittedCount >= reserved;
      nextPollNanos = System.nanoTime() + jittered(pushUp ? pushSafetyInterval : pollInterval);
    } finally {
      lock.unlock();
    }
  }

  private void failed(ManagerException e) {
    lock.lock();
    try {
      errorsInRow++;
      backlog = false;
      Duration wait = errorBackoff.delay(errorsInRow);
      nextPollNanos = System.nanoTime() + wait.toNanos();
      if (errorsInRow == 1 || Integer.bitCount(errorsInRow) == 1) {
        log.warn(
            "claim failed ({} in a row): {}; next try in {} ms",
            errorsInRow,
            e.getMessage(),
            wait.toMillis());
      }
    } finally {
      lock.unlock();
    }
  }

  /** The interval, varied by ±10% so a fleet's polls spread out. */
  private long jittered(Duration interval) {
    long nanos = interval.toNanos();
    return nanos - nanos / 10 + random.nextLong(nanos / 5 + 1);
  }

  @Override
  public void close() {
    signal(() -> stopping = true);
    if (thread.getState() == Thread.State.NEW) {
      return; // never started (push and polling both off): joining it would throw
    }
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
