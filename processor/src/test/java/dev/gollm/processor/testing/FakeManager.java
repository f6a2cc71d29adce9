package dev.gollm.processor.testing;

import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory manager for the fast tests: pending and stealable tasks, scripted failures per call,
 * tasks taken away (404), and a record of every call.
 */
public final class FakeManager implements ManagerApi {
  /** The calls the processor makes. */
  public enum Call {
    CLAIM,
    HEARTBEAT,
    COMPLETE,
    REQUEUE,
    STEAL,
    PROCESSOR_HEARTBEAT,
    CLEANUP
  }

  /** A complete or requeue as the manager received it. */
  public record Report(String taskId, String kind, String text) {}

  private final Deque<ManagerTask> pending = new ArrayDeque<>();
  private final Deque<ManagerTask> stealable = new ArrayDeque<>();
  private final Deque<List<ManagerTask>> scriptedClaims = new ArrayDeque<>();
  private final Deque<List<ManagerTask>> scriptedSteals = new ArrayDeque<>();
  private final Map<Call, Deque<RuntimeException>> failures = new EnumMap<>(Call.class);
  private final Set<String> taken = new HashSet<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Integer> claimSizes = new ArrayList<>();
  private final List<Integer> stealSizes = new ArrayList<>();
  private final List<String> heartbeats = new ArrayList<>();
  private final List<Report> reports = new ArrayList<>();
  private CleanupResult cleanupResult = new CleanupResult(0, 0, 0);

  public static ManagerTask task(String id) {
    return task(id, 0);
  }

  public static ManagerTask task(String id, int priority) {
    return new ManagerTask(id, "product " + id, priority, null, null);
  }

  /** Adds pending tasks, claimed in this order. */
  public synchronized FakeManager pending(String... ids) {
    for (String id : ids) {
      pending.add(task(id));
    }
    return this;
  }

  /** Adds stale tasks of other processors that work stealing can take. */
  public synchronized FakeManager stealable(String... ids) {
    for (String id : ids) {
      stealable.add(task(id));
    }
    return this;
  }

  /** The next claim answers exactly {@code tasks}, whatever it asked for. */
  public synchronized FakeManager answerNextClaim(List<ManagerTask> tasks) {
    scriptedClaims.add(tasks);
    return this;
  }

  /** The next work-steal answers exactly {@code tasks}, whatever it asked for. */
  public synchronized FakeManager answerNextSteal(List<ManagerTask> tasks) {
    scriptedSteals.add(tasks);
    return this;
  }

  /** The next call of this kind fails with {@code failure} (scripted failures queue up). */
  public synchronized FakeManager failNext(Call call, RuntimeException failure) {
    failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(failure);
    return this;
  }

  /** From now on, calls about this task answer 404: it is no longer ours. */
  public synchronized FakeManager takeAway(String taskId) {
    taken.add(taskId);
    return this;
  }

  public synchronized FakeManager cleanupAnswers(CleanupResult result) {
    cleanupResult = result;
    return this;
  }

  private void called(Call call) {
    calls.add(call);
    Deque<RuntimeException> scripted = failures.get(call);
    if (scripted != null && !scripted.isEmpty()) {
      throw scripted.poll();
    }
  }

  private void owned(String taskId) {
    if (taken.contains(taskId)) {
      throw new ManagerException.LeaseLost("task " + taskId + " is not processing by us (404)");
    }
  }

  @Override
  public synchronized List<ManagerTask> claim(int batchSize) {
    claimSizes.add(batchSize);
    called(Call.CLAIM);
    if (!scriptedClaims.isEmpty()) {
      return scriptedClaims.poll();
    }
    List<ManagerTask> out = new ArrayList<>();
    while (out.size() < batchSize && !pending.isEmpty()) {
      out.add(pending.poll());
    }
    return out;
  }

  @Override
  public synchronized void heartbeat(String taskId) {
    heartbeats.add(taskId);
    called(Call.HEARTBEAT);
    owned(taskId);
  }

  @Override
  public synchronized void complete(String taskId, TaskReport report) {
    called(Call.COMPLETE);
    owned(taskId);
    reports.add(
        switch (report) {
          case TaskReport.Completed c -> new Report(taskId, "completed", c.result());
          case TaskReport.Failed f -> new Report(taskId, "failed", f.errorMessage());
        });
  }

  @Override
  public synchronized void requeue(String taskId, String reason) {
    called(Call.REQUEUE);
    owned(taskId);
    reports.add(new Report(taskId, "requeued", reason));
  }

  @Override
  public synchronized List<ManagerTask> steal(int maxCount) {
    stealSizes.add(maxCount);
    called(Call.STEAL);
    if (!scriptedSteals.isEmpty()) {
      return scriptedSteals.poll();
    }
    List<ManagerTask> out = new ArrayList<>();
    while (out.size() < maxCount && !stealable.isEmpty()) {
      out.add(stealable.poll());
    }
    return out;
  }

  @Override
  public synchronized void processorHeartbeat(ProcessorLoad load) {
    called(Call.PROCESSOR_HEARTBEAT);
  }

  @Override
  public synchronized CleanupResult cleanup() {
    called(Call.CLEANUP);
    return cleanupResult;
  }

  /** Every call in order, failed ones included. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized long count(Call call) {
    return calls.stream().filter(c -> c == call).count();
  }

  /** The batch size of every claim, in order. */
  public synchronized List<Integer> claimSizes() {
    return List.copyOf(claimSizes);
  }

  /** The max_steal_count of every work-steal, in order. */
  public synchronized List<Integer> stealSizes() {
    return List.copyOf(stealSizes);
  }

  /** The task of every lease heartbeat, in order. */
  public synchronized List<String> heartbeats() {
    return List.copyOf(heartbeats);
  }

  /** Every complete and requeue that was accepted, in order. */
  public synchronized List<Report> reports() {
    return List.copyOf(reports);
  }
}
