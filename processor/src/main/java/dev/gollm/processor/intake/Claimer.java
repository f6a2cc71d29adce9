package dev.gollm.processor.intake;

import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.schedule.Scheduler;
import dev.gollm.processor.task.Backoff;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that claims tasks. It claims a batch sized to the ledger's free room (at most
 * MAX_BATCH_SIZE) when any of these holds and there is room: a wake-up arrived (an SSE
 * task_available), the last claim came back full (a backlog: claim again once {@code refillRoom}
 * places are free), or the poll timer is due. Wake-ups that arrive together coalesce into one
 * claim. Errors back the timer off; work never does.
 */
public final class Claimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Claimer.class);

  private final LeaseLedger ledger;
  private final Admission admission;
  private final int maxBatch;
  private final int refillRoom;
  private final Duration pollInterval;
  private final Duration pushSafetyInterval;
  private final Backoff errorBackoff;
  private final RandomGenerator random;
  private final Scheduler scheduler;
  private final IntakeLoop loop;
  private boolean wakeRequested;
  private final ManagerBacklog backlog;
  private boolean pushUp;
  private long nextPollNanos;
  private int errorsInRow;

  /**
   * @param refillRoom the free places a claim waits for under a backlog: with tasks still waiting
   *     locally, refilling several places in one claim instead of each in its own saves claims and
   *     keeps the workers as busy (a worker with nothing to run means the whole prefetch is free)
   * @param pollInterval the claim cadence without push (POLL_INTERVAL)
   * @param pushSafetyInterval the cadence while push is up, to catch missed events
   * @param backlog where the claimer records whether its last claim came back full
   * @param stopWait how long {@link #close()} waits for a claim in progress
   */
  public Claimer(
      LeaseLedger ledger,
      Admission admission,
      int maxBatch,
      int refillRoom,
      Duration pollInterval,
      Duration pushSafetyInterval,
      Backoff errorBackoff,
      RandomGenerator random,
      Scheduler scheduler,
      ManagerBacklog backlog,
      Duration stopWait) {
    this.ledger = ledger;
    this.backlog = backlog;
    this.admission = admission;
    this.maxBatch = maxBatch;
    this.refillRoom = refillRoom;
    this.pollInterval = pollInterval;
    this.pushSafetyInterval = pushSafetyInterval;
    this.errorBackoff = errorBackoff;
    this.random = random;
    this.scheduler = scheduler;
    this.nextPollNanos = scheduler.nanoTime();
    this.loop =
        new IntakeLoop(
            "claimer",
            new IntakeLoop.Role() {
              @Override
              public boolean callIfDue() {
                return claimIfDue();
              }

              @Override
              public long timerNanos() {
                return nextPollNanos;
              }

              @Override
              public boolean ready() {
                return wantedNow() > 0;
              }
            },
            scheduler,
            stopWait);
    ledger.onRoomFreed(this::roomFreed);
  }

  public Claimer start() {
    loop.start();
    return this;
  }

  /** A task is (probably) available: claim as soon as there is room. */
  public void wake() {
    loop.signal(() -> wakeRequested = true);
  }

  /** Push delivery is up: poll only at the safety cadence. */
  public void pushUp() {
    loop.signal(
        () -> {
          pushUp = true;
          wakeRequested = true; // what arrived while push was down
        });
  }

  /** Push delivery is down: poll at POLL_INTERVAL. */
  public void pushDown() {
    loop.signal(
        () -> {
          pushUp = false;
          long soon = scheduler.nanoTime() + jittered(pollInterval);
          if (soon - nextPollNanos < 0) {
            nextPollNanos = soon;
          }
        });
  }

  private void roomFreed() {
    loop.signal(() -> {});
  }

  /** The batch to claim now: 0 unless a claim is due and there is room. */
  private int wantedNow() {
    int room = ledger.freeRoom();
    boolean timerDue = scheduler.nanoTime() - nextPollNanos >= 0;
    boolean calm = errorsInRow == 0;
    boolean due = timerDue || calm && (wakeRequested || backlog.likely() && room >= refillRoom);
    return due ? Math.min(room, maxBatch) : 0;
  }

  /**
   * Claims one batch if a claim is due and there is room (the claimer's thread calls this in a
   * loop; tests call it directly); true when it claimed.
   */
  boolean claimIfDue() {
    int wanted =
        loop.locked(
            () -> {
              int n = loop.stopping() ? 0 : wantedNow();
              if (n > 0) {
                wakeRequested = false;
              }
              return n;
            });
    if (wanted == 0) {
      return false;
    }
    claim(wanted);
    return true;
  }

  private void claim(int wanted) {
    Admission.Result result;
    try {
      result = admission.admit(Admission.Source.CLAIM, wanted);
    } catch (ManagerException e) {
      failed(e);
      return;
    }
    if (result.reserved() == 0) {
      return; // the room went meanwhile (work stealing took it)
    }
    if (result.received() > 0) {
      log.debug("claimed {} of {} asked", result.received(), result.reserved());
    }
    loop.signal(
        () -> {
          if (errorsInRow > 0) {
            log.info("claims work again after {} failures", errorsInRow);
          }
          errorsInRow = 0;
          backlog.claimed(result.admitted() >= result.reserved());
          nextPollNanos =
              scheduler.nanoTime() + jittered(pushUp ? pushSafetyInterval : pollInterval);
        });
  }

  private void failed(ManagerException e) {
    loop.signal(
        () -> {
          errorsInRow++;
          backlog.unknown();
          Duration wait = errorBackoff.delay(errorsInRow);
          nextPollNanos = scheduler.nanoTime() + wait.toNanos();
          if (errorsInRow == 1 || Integer.bitCount(errorsInRow) == 1) {
            log.warn(
                "claim failed ({} in a row): {}; next try in {} ms",
                errorsInRow,
                e.getMessage(),
                wait.toMillis());
          }
        });
  }

  /** The interval, varied by ±10% so a fleet's polls spread out. */
  private long jittered(Duration interval) {
    return Jitter.around(interval, 10, random);
  }

  @Override
  public void close() {
    loop.close();
  }
}
