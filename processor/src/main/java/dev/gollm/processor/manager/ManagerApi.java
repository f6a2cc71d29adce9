package dev.gollm.processor.manager;

import java.util.List;

/**
 * The manager's internal API as the processor uses it. Every method throws a {@link
 * ManagerException} subtype when the call does not succeed.
 */
public interface ManagerApi {
  /**
   * Claims up to {@code batchSize} pending tasks (the manager picks them by priority, then age).
   */
  List<ManagerTask> claim(int batchSize);

  /** Keeps the lease on a task alive; {@link ManagerException.LeaseLost} when it is gone. */
  void heartbeat(String taskId);

  /** Reports a task's final outcome. */
  void complete(String taskId, TaskReport report);

  /** Hands a task back to pending with a reason (the manager increments its retry count). */
  void requeue(String taskId, String reason);

  /** Takes over up to {@code maxCount} stale tasks of overloaded processors. */
  List<ManagerTask> steal(int maxCount);

  /** Reports this processor's load. */
  void processorHeartbeat(ProcessorLoad load);

  /** Asks the manager to requeue or fail tasks whose heartbeat went stale. */
  CleanupResult cleanup();

  /** A task's final outcome as sent to complete. */
  sealed interface TaskReport {
    /** The generated text. */
    record Completed(String result) implements TaskReport {}

    /** Why the task cannot be done. */
    record Failed(String errorMessage) implements TaskReport {}
  }

  /**
   * Load figures for processor-heartbeat, in the manager's units (see {@code LoadReporter}).
   *
   * @param cpuUsage the process's CPU load against the CPUs available to it, percent 0..100
   * @param memoryUsage heap in use against its limit, percent 0..100
   * @param queueSize tasks held (running and waiting)
   */
  record ProcessorLoad(double cpuUsage, double memoryUsage, int queueSize) {}

  /** What a cleanup did: tasks requeued after a stale heartbeat, failed, and old ones deleted. */
  record CleanupResult(int requeued, int failed, int deleted) {}
}
