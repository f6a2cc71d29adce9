package dev.gollm.processor.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tasks this processor handed back after exhausting their retries, newest last, bounded. The
 * manager never fails a requeued task and reports retry_count 0 on claims, so without this memory a
 * task that fails every time would circulate forever.
 */
public final class RequeueMemory {
  private final Map<String, String> lastErrors;

  public RequeueMemory(int maxEntries) {
    this.lastErrors =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > maxEntries;
          }
        };
  }

  public synchronized void remember(String taskId, String lastError) {
    lastErrors.put(taskId, lastError);
  }

  /** True when this processor requeued the task before. */
  public synchronized boolean wasRequeued(String taskId) {
    return lastErrors.containsKey(taskId);
  }

  public synchronized void forget(String taskId) {
    lastErrors.remove(taskId);
  }
}
