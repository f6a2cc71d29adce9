package dev.gollm.processor.intake;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.metrics.ProcessorMetrics.ClaimOutcome;
import dev.gollm.processor.metrics.ProcessorMetrics.ClaimSource;
import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way tasks from the manager become leases, for claims and steals alike: reserve room, ask
 * the manager for that many, admit each task with an id, ignore (and log) what exceeds the
 * reservation, and return the reservations no task filled. Stolen tasks are confirmed with a
 * heartbeat before they are queued: the manager's steal is not atomic, and a task handed to two
 * stealers belongs to the one whose update came last; the other's heartbeat gets 404. The
 * confirmation waits a short delay (on a timer; the caller goes on), so that the later update has
 * landed when it comes.
 */
public final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  /** Where tasks come from. */
  public enum Source {
    CLAIM("claim", ClaimSource.CLAIM),
    STEAL("work-steal", ClaimSource.STEAL);

    private final String call;
    private final ClaimSource meter;

    Source(String call, ClaimSource meter) {
      this.call = call;
      this.meter = meter;
    }

    @Override
    public String toString() {
      return call;
    }
  }

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final ProcessorMetrics metrics;
  private final Consumer<Lease> admitted;
  private final Duration confirmDelay;
  private final Scheduler scheduler;

  /**
   * @param admitted receives each new lease to queue it for a worker (a stolen one once confirmed,
   *     on the confirmation's thread)
   * @param confirmDelay how long after a steal its tasks are confirmed
   */
  public Admission(
      ManagerApi manager,
      LeaseLedger ledger,
      ProcessorMetrics metrics,
      Consumer<Lease> admitted,
      Duration confirmDelay,
      Scheduler scheduler) {
    this.manager = manager;
    this.ledger = ledger;
    this.metrics = metrics;
    this.admitted = admitted;
    this.confirmDelay = confirmDelay;
    this.scheduler = scheduler;
  }

  /**
   * What one call came to.
   *
   * @param reserved room reserved and asked for
   * @param received tasks the manager handed out
   * @param admitted new leases (tasks already held and unusable ones are not); stolen ones are
   *     still to be confirmed
   */
  public record Result(int reserved, int received, int admitted) {
    static final Result NOTHING = new Result(0, 0, 0);

    /** The manager handed out as many as asked for: more is probably waiting. */
    public boolean full() {
      return reserved > 0 && received >= reserved;
    }
  }

  /**
   * Reserves room for up to {@code wanted} tasks and, if any, asks the manager for that many. A
   * {@link ManagerException} from the call returns the reservations and propagates.
   */
  public Result admit(Source source, int wanted) {
    int reserved = ledger.reserve(wanted);
    if (reserved == 0) {
      return Result.NOTHING;
    }
    long asked = scheduler.nanoTime();
    List<ManagerTask> tasks;
    try {
      tasks =
          switch (source) {
            case CLAIM -> manager.claim(reserved);
            case STEAL -> manager.steal(reserved);
          };
    } catch (RuntimeException e) {
      ledger.unreserve(reserved);
      metrics.claimed(source.meter, ClaimOutcome.ERROR);
      throw e;
    }
    metrics.claimed(source.meter, ClaimOutcome.of(reserved, tasks.size()));
    List<Lease> leases = new ArrayList<>();
    int used = 0;
    for (ManagerTask task : tasks) {
      if (used == reserved) {
        // Admitting it would take room no reservation holds (and the ledger refuses that).
        log.warn(
            "the manager handed out {} tasks for a {} of {}; task {} is left to its cleanup",
            tasks.size(),
            source,
            reserved,
            task.id());
        continue;
      }
      if (task.id() == null) {
        log.warn("the manager handed out a task without an id in a {}; ignoring it", source);
        continue;
      }
      used++;
      ClaimedTask claimed =
          new ClaimedTask(task.id(), task.productData(), task.priority(), task.ollamaParams());
      Lease lease =
          source == Source.STEAL ? ledger.admitUnconfirmed(claimed) : ledger.admit(claimed, asked);
      if (lease != null) {
        leases.add(lease);
      }
    }
    ledger.unreserve(reserved - used);
    if (source == Source.CLAIM) {
      leases.forEach(lease -> queue(Source.CLAIM, lease));
    } else if (!leases.isEmpty()) {
      scheduler.schedule(confirmDelay, () -> confirmAll(leases));
    }
    return new Result(reserved, tasks.size(), leases.size());
  }

  /**
   * Confirms stolen leases, one heartbeat each, in parallel, and queues those that are ours in the
   * order they were stolen.
   */
  private void confirmAll(List<Lease> stolen) {
    List<Future<Boolean>> answers = new ArrayList<>();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Lease lease : stolen) {
        answers.add(calls.submit(() -> confirm(lease)));
      }
    }
    for (int i = 0; i < stolen.size(); i++) {
      if (answers.get(i).resultNow()) {
        queue(Source.STEAL, stolen.get(i));
      }
    }
  }

  private void queue(Source source, Lease lease) {
    metrics.taskAdmitted(source.meter);
    admitted.accept(lease);
  }

  /**
   * Heartbeats a stolen lease: on 404 it is another stealer's and is released unrun; when the
   * manager cannot answer, it is queued (it was handed to us, and the lease heartbeats find a loss
   * before or while it runs).
   */
  private boolean confirm(Lease lease) {
    try {
      long sent = scheduler.nanoTime();
      manager.heartbeat(lease.taskId());
      lease.ownedAsOf(sent);
    } catch (ManagerException.LeaseLost e) {
      log.info("task {}: stolen by another processor as well; dropping it unrun", lease.taskId());
      ledger.lose(lease, "stolen by another processor as well");
      ledger.drop(lease);
      return false;
    } catch (ManagerException e) {
      log.debug("task {}: confirming the steal failed; queueing it", lease.taskId(), e);
    }
    if (ledger.confirm(lease).changed()) {
      return true;
    }
    ledger.drop(lease); // a lease heartbeat's 404 came first
    return false;
  }
}
