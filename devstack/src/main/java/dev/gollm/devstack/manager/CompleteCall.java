package dev.gollm.devstack.manager;

/**
 * One {@code POST /api/internal/complete} as the server saw it, recorded before the answer was
 * sent: the fields as sent (null when absent or the body was unreadable) and the HTTP status
 * answered. {@code processorId} is what the caller sent; the manager ignores it.
 */
public record CompleteCall(
    String taskId,
    String processorId,
    String status,
    String errorMessage,
    int responseStatus,
    long atMillis) {
  /** Whether the manager accepted the call (answered 200 and wrote the task). */
  public boolean accepted() {
    return responseStatus == 200;
  }
}
