package dev.gollm.devstack.manager;

import java.util.Optional;

/**
 * The manager's internal endpoints (all under {@code /api/internal/}), plus devstack's {@code
 * submit} extension. The name is the path suffix and the key for fault injection.
 */
public enum Endpoint {
  CLAIM("claim", "POST", false),
  HEARTBEAT("heartbeat", "POST", false),
  PROCESSOR_HEARTBEAT("processor-heartbeat", "POST", false),
  COMPLETE("complete", "POST", false),
  REQUEUE("requeue", "POST", false),
  WORK_STEAL("work-steal", "POST", true),
  CLEANUP("cleanup", "POST", true),
  CLEANUP_STATS("cleanup/stats", "GET", true),
  TASKS("tasks", "GET", false),
  ALL_TASKS("all-tasks", "GET", false),
  METRICS("metrics", "GET", true),
  ESTIMATED_TIME("estimated-time", "GET", true),
  TASK_STREAM("task-stream", "GET", true),
  /** devstack's extension: the real manager has no such endpoint. */
  SUBMIT("submit", "POST", true);

  /** Path prefix of every internal endpoint. */
  public static final String PREFIX = "/api/internal/";

  private final String name;
  private final String method;
  private final boolean methodChecked;

  Endpoint(String name, String method, boolean methodChecked) {
    this.name = name;
    this.method = method;
    this.methodChecked = methodChecked;
  }

  /** The path suffix, e.g. {@code cleanup/stats}. */
  public String endpointName() {
    return name;
  }

  /** The full path, e.g. {@code /api/internal/claim}. */
  public String path() {
    return PREFIX + name;
  }

  /** The method clients use. */
  public String method() {
    return method;
  }

  /** The one method the manager accepts, or empty when it accepts any. */
  public Optional<String> requiredMethod() {
    return methodChecked ? Optional.of(method) : Optional.empty();
  }

  /** The endpoint with this name, if any. */
  public static Optional<Endpoint> byName(String name) {
    for (Endpoint endpoint : values()) {
      if (endpoint.name.equals(name)) {
        return Optional.of(endpoint);
      }
    }
    return Optional.empty();
  }
}
