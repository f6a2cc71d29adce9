package dev.gollm.processor.llm;

import dev.gollm.processor.cancel.CancelSignal;

/** What the processor needs from an LLM server. Methods throw {@link LlmException} subtypes. */
public interface LlmClient {
  /** Checks that the server answers (for readiness); throws when it does not. */
  void ping();

  /**
   * Makes sure the model is present, pulling it when it is not, and loaded into memory; concurrent
   * callers share a pull and a load. {@code cancel} stops this caller's wait (with {@link
   * LlmException.Cancelled}), not the pull.
   */
  void ensureModel(String model, CancelSignal cancel);

  /**
   * Generates an answer; {@code cancel} aborts it from another thread and frees the server slot.
   */
  Generation chat(ChatRequest request, CancelSignal cancel);
}
