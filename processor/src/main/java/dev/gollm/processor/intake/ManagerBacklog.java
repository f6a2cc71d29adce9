package dev.gollm.processor.intake;

/**
 * What the claims tell of the manager's queue: whether the last one came back full, so more tasks
 * likely wait there. The claimer writes it; whoever plans ahead reads it (the LLM router, to know
 * when a backlog ends).
 */
public final class ManagerBacklog {
  private volatile boolean likely;

  /** A claim came back: {@code full} when it got every task it asked for. */
  void claimed(boolean full) {
    likely = full;
  }

  /** A claim failed: nothing is known. */
  void unknown() {
    likely = false;
  }

  /** The last claim came back full. */
  public boolean likely() {
    return likely;
  }
}
