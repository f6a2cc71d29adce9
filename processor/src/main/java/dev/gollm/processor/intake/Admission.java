package dev.gollm.processor.intake;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
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
 * stealers belongs to the later one, whose update came last; the other's heartbeat gets 404.
 */
public final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  /** Where tasks come from. */
  public enum Source {
    CLAIM("claim"),
    STEAL("work-steal");

    private final String call;

    Source(String call) {
      this.call = call;
    }

    @Override
    public String toString() {
      return call;
    }
  }

  private final ManagerApi manager;
  private final LeaseLedger ledger;
  private final Consumer<Lease> admitted;

  /**
   * @param admitted receives each new lease (to queue it for a worker)
   */
  public Admission(ManagerApi manager, LeaseLedger ledger, Consumer<Lease> admitted) {
    this.manager = manager;
    this.ledger = ledger;
    this.admitted = admitted;
  }

  /**
   * What one call came to.
   *
   * @param reserved room reserved and asked for
   * @param received tasks the manager handed out
   * @param admitted new leases queued (tasks already held, unusable ones and stolen ones that
   *     turned out to be another's are not)
   * @param refuted stolen tasks whose confirming heartbeat got 404
   */
  public record Result(int reserved, int received, int admitted, int refuted) {
    static final Result NOTHING = new Result(0, 0, 0, 0);

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
    List<ManagerTask> tasks;
    try {
      tasks =
          switch (source) {
            case CLAIM -> manager.claim(reserved);
            case STEAL -> manager.steal(reserved);
          };
    } catch (RuntimeException e) {
      ledger.unreserve(reserved);
      throw e;
    }
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
          source == Source.STEAL ? ledger.admitUnconfirmed(claimed) : ledger.admit(claimed);
      if (lease != null) {
        leases.add(lease);
      }
    }
    ledger.unreserve(reserved - used);
    List<Lease> ours = source == Source.STEAL ? confirmed(leases) : leases;
    ours.forEach(admitted);
    return new Result(reserved, tasks.size(), ours.size(), leases.size() - ours.size());
  }

  /** The stolen leases the manager confirms as ours, one heartbeat each, in parallel. */
  private List<Lease> confirmed(List<Lease> stolen) {
    List<Future<Boolean>> answers = new ArrayList<>();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Lease lease : stolen) {
        answers.add(calls.submit(() -> confirm(lease)));
      }
    }
    List<Lease> ours = new ArrayList<>();
    for (int i = 0; i < stolen.size(); i++) {
      if (answers.get(i).resultNow()) {
        ours.add(stolen.get(i));
      }
    }
    return ours;
  }

  /**
   * Heartbeats a stolen lease: on 404 it is another stealer's and is released unrun; when the
   * manager cannot answer, it is queued (it was handed to us, and the lease heartbeats find a loss
   * before or while it runs).
   */
  private boolean confirm(Lease lease) {
    try {
      manager.heartbeat(lease.taskId());
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
