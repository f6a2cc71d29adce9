package dev.gollm.processor.lease;

/** What a lease state change asked of the {@link LeaseLedger} came to. */
public sealed interface Transition {
  /** The lease is now in {@code state}. */
  record Changed(LeaseState state) implements Transition {}

  /** The change does not apply to a lease in {@code current}; nothing changed. */
  record Refused(LeaseState current) implements Transition {}

  default boolean changed() {
    return this instanceof Changed;
  }
}
