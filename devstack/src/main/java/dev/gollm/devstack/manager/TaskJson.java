package dev.gollm.devstack.manager;

import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a task as the manager's Go {@code Task} struct: keys in struct order, optional keys
 * omitted when NULL, and the per-endpoint quirks of which columns each query selected.
 */
final class TaskJson {
  /** Which manager query produced the task, deciding which keys it carries. */
  enum View {
    /** Every column (all-tasks). */
    FULL,
    /** GET /tasks: the pending-task query, retry_count always 0, no lease fields. */
    PENDING,
    /** Default claim: the pending query plus the lease written by the claim. */
    CLAIMED,
    /** Fair claim: real retry_count, max_retries 0, no error_message. */
    FAIR_CLAIMED,
    /** Work-steal: status "", created_at 0, max_retries 0, no processing_started_at. */
    STOLEN
  }

  private TaskJson() {}

  static ObjectNode write(TaskRecord task, View view) {
    ObjectNode json = WireJson.NODES.objectNode();
    json.put("id", task.id());
    json.put("user_id", task.userId());
    json.put("product_data", task.productData());
    json.put("status", view == View.STOLEN ? "" : task.status().wire());
    if (view == View.FULL) {
      optional(json, "result", task.result());
    }
    if (view == View.FULL || view == View.PENDING || view == View.CLAIMED) {
      optional(json, "error_message", task.errorMessage());
    }
    json.put("created_at", view == View.STOLEN ? 0L : task.createdAt());
    json.put("updated_at", task.updatedAt());
    if (view == View.FULL) {
      optional(json, "completed_at", task.completedAt());
    }
    json.put("priority", task.priority());
    boolean realRetryCount = view == View.FULL || view == View.FAIR_CLAIMED || view == View.STOLEN;
    json.put("retry_count", realRetryCount ? task.retryCount() : 0);
    boolean realMaxRetries = view == View.FULL || view == View.PENDING || view == View.CLAIMED;
    json.put("max_retries", realMaxRetries ? task.maxRetries() : 0);
    if (view != View.PENDING) {
      optional(json, "processor_id", task.processorId());
      if (view != View.STOLEN) {
        optional(json, "processing_started_at", task.processingStartedAt());
      }
      optional(json, "heartbeat_at", task.heartbeatAt());
      optional(json, "timeout_at", task.timeoutAt());
    }
    optional(json, "ollama_params", task.ollamaParams());
    optional(json, "estimated_duration", task.estimatedDuration());
    if (view == View.FULL) {
      optional(json, "actual_duration", task.actualDuration());
      optional(json, "rating", task.rating());
    }
    return json;
  }

  private static void optional(ObjectNode json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static void optional(ObjectNode json, String key, Long value) {
    if (value != null) {
      json.put(key, value.longValue());
    }
  }
}
