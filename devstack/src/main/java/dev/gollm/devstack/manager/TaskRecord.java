package dev.gollm.devstack.manager;

/**
 * One row of the {@code tasks} table. Times are epoch milliseconds; boxed fields are nullable
 * columns. {@code ollamaParams} is the JSON object serialized into a string, as the manager stores
 * it.
 */
public record TaskRecord(
    String id,
    String userId,
    String productData,
    TaskStatus status,
    String result,
    String errorMessage,
    long createdAt,
    long updatedAt,
    Long completedAt,
    int priority,
    int retryCount,
    int maxRetries,
    String processorId,
    Long processingStartedAt,
    Long heartbeatAt,
    Long timeoutAt,
    String ollamaParams,
    Long estimatedDuration,
    Long actualDuration,
    String rating) {

  /** This task as a claim leaves it: processing under {@code processor}, fresh lease times. */
  TaskRecord claimedBy(String processor, long now, long timeoutAtMs) {
    return new TaskRecord(
        id,
        userId,
        productData,
        TaskStatus.PROCESSING,
        result,
        errorMessage,
        createdAt,
        now,
        completedAt,
        priority,
        retryCount,
        maxRetries,
        processor,
        now,
        now,
        timeoutAtMs,
        ollamaParams,
        estimatedDuration,
        actualDuration,
        rating);
  }

  /** This task as work-steal leaves it: new owner and heartbeat, start time untouched. */
  TaskRecord stolenBy(String processor, long now, long timeoutAtMs) {
    return new TaskRecord(
        id,
        userId,
        productData,
        status,
        result,
        errorMessage,
        createdAt,
        now,
        completedAt,
        priority,
        retryCount,
        maxRetries,
        processor,
        processingStartedAt,
        now,
        timeoutAtMs,
        ollamaParams,
        estimatedDuration,
        actualDuration,
        rating);
  }
}
