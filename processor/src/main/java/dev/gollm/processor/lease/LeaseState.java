package dev.gollm.processor.lease;

/**
 * Where a lease is in its life; changed only by the {@link LeaseLedger}: (Confirming →) Waiting →
 * Running → Reporting(outcome) → Released; Waiting → Reporting (hand back); Confirming, Waiting or
 * Running → Lost → Released; Running → Released when there is nothing to report.
 * docs/architecture.md draws it.
 */
public sealed interface LeaseState {
  LeaseState CONFIRMING = new Confirming();
  LeaseState WAITING = new Waiting();
  LeaseState RUNNING = new Running();
  LeaseState RELEASED = new Released();

  /**
   * Admitted from a work-steal, not yet queued: the manager's steal is not atomic, so the task may
   * have gone to another stealer as well; a heartbeat decides whether it is ours.
   */
  record Confirming() implements LeaseState {}

  /** Admitted, queued for a worker. */
  record Waiting() implements LeaseState {}

  /** A worker is generating its answer. */
  record Running() implements LeaseState {}

  /** The outcome is being settled with the manager; no worker is on it any more. */
  record Reporting(Outcome outcome) implements LeaseState {}

  /**
   * The manager took the task back; nothing will be reported. The lease keeps its room (and its
   * worker slot when {@code workerOn}) until whoever holds it lets go.
   */
  record Lost(String reason, boolean workerOn) implements LeaseState {}

  /** Terminal: forgotten by the ledger, its room free again. */
  record Released() implements LeaseState {}
}
