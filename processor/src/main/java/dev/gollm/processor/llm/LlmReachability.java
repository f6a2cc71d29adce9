package dev.gollm.processor.llm;

/** Hears whether each call reached the LLM server (readiness listens). */
public interface LlmReachability {
  /** The server answered. */
  void reached();

  /** The server could not be reached; {@code reason} says how. */
  void unreachable(String reason);

  /**
   * The server answers but is not usable yet (a model loading, pulling); {@code reason} says why.
   */
  void pending(String reason);

  /** Ends what {@link #pending} reported. */
  void clearPending();
}
