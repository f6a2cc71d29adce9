package dev.gollm.processor.lease;

import java.time.Duration;

/** How a task's work ended, as a value: what is to be reported to the manager, if anything. */
public sealed interface Outcome {
  /** The answer was generated; report it completed. */
  record Completed(String text, long tokens, Duration generationTime) implements Outcome {}

  /** The task cannot be done; report it failed with the reason. */
  record Failed(String reason) implements Outcome {}

  /** Somebody else should run it: requeue it on the manager with the reason. */
  record HandBack(String reason) implements Outcome {}

  /** The task is no longer ours: report nothing. */
  record Drop(String reason) implements Outcome {}
}
