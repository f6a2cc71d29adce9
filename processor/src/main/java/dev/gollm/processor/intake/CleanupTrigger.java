package dev.gollm.processor.intake;

import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.CleanupResult;
import dev.gollm.processor.manager.ManagerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the manager to recover tasks whose heartbeat went stale. The manager has no timer of its
 * own: without some processor calling cleanup, a crashed processor's tasks stay processing forever.
 */
public final class CleanupTrigger implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(CleanupTrigger.class);

  private final ManagerApi manager;

  public CleanupTrigger(ManagerApi manager) {
    this.manager = manager;
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
      } else {
        log.debug("manager cleanup: nothing to do");
      }
    } catch (ManagerException e) {
      log.warn("manager cleanup failed: {}", e.getMessage());
    }
  }
}
