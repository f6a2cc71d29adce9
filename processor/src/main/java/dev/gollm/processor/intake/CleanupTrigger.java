package dev.gollm.processor.intake;

import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.CleanupResult;
import dev.gollm.processor.manager.ManagerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the manager to recover tasks whose heartbeat went stale. The manager has no timer of its
 * own: without some processor calling cleanup, a crashed processor's tasks stay processing forever.
 * The manager does not announce the tasks a cleanup requeues, so a cleanup that requeued some wakes
 * the claimer instead of leaving them to its next poll.
 */
public final class CleanupTrigger implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(CleanupTrigger.class);

  private final ManagerApi manager;
  private final Runnable requeued;

  /**
   * @param requeued called after a cleanup that requeued tasks (to wake the claimer)
   */
  public CleanupTrigger(ManagerApi manager, Runnable requeued) {
    this.manager = manager;
    this.requeued = requeued;
  }

  @Override
  public void run() {
    try {
      CleanupResult r = manager.cleanup();
      if (r.requeued() + r.failed() + r.deleted() > 0) {
        log.info(
            "manager cleanup: {} stale task(s) requeued, {} failed, {} old task(s) deleted",
            r.requeued(),
            r.failed(),
            r.deleted());
        if (r.requeued() > 0) {
          requeued.run();
        }
      } else {
        log.debug("manager cleanup: nothing to do");
      }
    } catch (ManagerException e) {
      log.warn("manager cleanup failed: {}", e.getMessage());
    }
  }
}
