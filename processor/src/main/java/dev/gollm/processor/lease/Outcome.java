package dev.gollm.processor.lease;

import java.time.Duration;
import java.util.Locale;

/** How a task's work ended, as a value: what is to be reported to the manager, if anything. */
public sealed interface Outcome {
  /** The answer was generated; report it completed. */
  record Completed(String text, long tokens, Duration generationTime) implements Outcome {}

  /** The task cannot be done; report it failed with the reason. */
  record Failed(Kind kind, String reason) implements Outcome {}

  /** Why a task cannot be done, by the type of what went wrong, for counting. */
  enum Kind {
    /** The task itself is unusable: empty product data, bad ollama_params. */
    INVALID_TASK,
    /** The LLM server refused the request for good: a model that cannot be had, a bad request. */
    REJECTED,
    /** The model was still missing after it was pulled. */
    MODEL_MISSING,
    /** Retryable failures ran out again after the task had been handed back once. */
    RETRIES_EXHAUSTED;

    /** The lower-case name used in metrics. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Somebody else should run it: requeue it on the manager with the reason. */
  record HandBack(String reason) implements Outcome {}

  /** The task is no longer ours: report nothing. */
  record Drop(String reason) implements Outcome {}
}
