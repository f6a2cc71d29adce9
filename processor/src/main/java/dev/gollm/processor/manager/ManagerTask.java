package dev.gollm.processor.manager;

/**
 * A task as the manager hands it out (claim or work-steal), reduced to what processing needs.
 *
 * @param ollamaParams the raw {@code ollama_params} string (a JSON object serialized into a
 *     string), or null when the task has none
 * @param lastError the reason of the task's last requeue, if any; the manager keeps it
 */
public record ManagerTask(
    String id, String productData, int priority, String ollamaParams, String lastError) {}
