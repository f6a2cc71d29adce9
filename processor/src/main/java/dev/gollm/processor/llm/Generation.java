package dev.gollm.processor.llm;

import java.time.Duration;

/**
 * A finished generation with Ollama's own figures.
 *
 * @param doneReason {@code stop}, {@code length}, or null when the server did not say
 * @param firstToken time from sending the request to the first generated text, or null when nothing
 *     was generated
 */
public record Generation(
    String text,
    String doneReason,
    long evalCount,
    Duration evalDuration,
    long promptEvalCount,
    Duration loadDuration,
    Duration firstToken,
    Duration elapsed) {}
