package dev.gollm.processor.llm;

import java.time.Duration;

/**
 * A finished generation with the server's own figures.
 *
 * @param evalCount completion tokens
 * @param promptEvalCount prompt tokens; 0 when the server did not say
 * @param doneReason {@code stop}, {@code length}, or null when the server did not say
 * @param firstToken time from sending the request to the first generated text, or null when nothing
 *     was generated or the time is not known; for an answer that was not streamed, the time until
 *     the answer less the server's own time generating it
 * @param endpoint the base URL of the server that generated it, or null when not routed
 */
public record Generation(
    String text,
    String doneReason,
    long evalCount,
    Duration evalDuration,
    long promptEvalCount,
    Duration loadDuration,
    Duration firstToken,
    Duration elapsed,
    String endpoint) {

  /** A generation whose endpoint is not known yet (the router adds it). */
  public Generation(
      String text,
      String doneReason,
      long evalCount,
      Duration evalDuration,
      long promptEvalCount,
      Duration loadDuration,
      Duration firstToken,
      Duration elapsed) {
    this(
        text,
        doneReason,
        evalCount,
        evalDuration,
        promptEvalCount,
        loadDuration,
        firstToken,
        elapsed,
        null);
  }

  /** The same generation, produced by the endpoint at {@code url}. */
  public Generation withEndpoint(String url) {
    return new Generation(
        text,
        doneReason,
        evalCount,
        evalDuration,
        promptEvalCount,
        loadDuration,
        firstToken,
        elapsed,
        url);
  }
}
