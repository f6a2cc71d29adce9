package dev.gollm.processor.intake;

import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerTask;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way tasks from the manager become leases, for claims and steals alike: reserve room, ask
 * the manager for that many, admit each task with an id, ignore (and log) what exceeds the
 * reservation, and return the reservations no task filled.
 */
public final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private final LeaseLedger ledger;
  private final Consumer<Lease> admitted;

  /**
   * @param admitted receives each new lease (to queue it for a worker)
   */
  public Admission(LeaseLedger ledger, Consumer<Lease> admitted) {
    this.ledger = ledger;
    this.admitted = admitted;
  }

  /**
   * What one call came to.
   *
   * @param reserved room reserved and asked for
   * @param received tasks the manager handed out
   * @param admitted new leases (tasks already held and unusable ones are not)
   */
  public record Result(int reserved, int received, int admitted) {
    static final Result NOTHING = new Result(0, 0, 0);
  }

  /**
   * Reserves room for up to {@code wanted} tasks and, if any, calls {@code fetch} with the number
   * reserved. An exception from {@code fetch} returns the reservations and propagates.
   *
   * @param what the call, for log lines ("claim", "work-steal")
   */
  public Result admit(String what, int wanted, IntFunction<List<ManagerTask>> fetch) {
    int reserved = ledger.reserve(wanted);
    if (reserved == 0) {
      return Result.NOTHING;
    }
    List<ManagerTask> tasks;
    try {
      tasks = fetch.apply(reserved);
    } catch (RuntimeException e) {
      ledger.unreserve(reserved);
      throw e;
    }
    int used = 0;
    int leases = 0;
    for (ManagerTask task : tasks) {
      if (used == reserved) {
        // Admitting it would take room no reservation holds (and the ledger refuses that).
        log.warn(
            "the manager handed out {} tasks for a {} of {}; task {} is left to its cleanup",
            tasks.size(),
            what,
            reserved,
            task.id());
        continue;
      }
      if (task.id() == null) {
        log.warn("the manager handed out a task without an id in a {}; ignoring it", what);
        continue;
      }
      used++;
      Lease lease =
          ledger.admit(
              new ClaimedTask(task.id(), task.productData(), task.priority(), task.ollamaParams()));
      if (lease != null) {
        leases++;
        admitted.accept(lease);
      }
    }
    ledger.unreserve(reserved - used);
    return new Result(reserved, tasks.size(), leases);
  }
}
