package dev.gollm.processor.lease;

/**
 * A task as this processor holds it, whoever handed it out (claim or work stealing).
 *
 * @param ollamaParams the raw {@code ollama_params} string (a JSON object serialized into a
 *     string), or null when the task has none
 */
public record ClaimedTask(String id, String productData, int priority, String ollamaParams) {}
