package dev.gollm.processor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.GenerationOptions;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.prompt.InvalidTaskException;
import dev.gollm.processor.prompt.PromptBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The invariant every fault scenario must leave behind, checked against the manager's database and
 * the complete calls it saw:
 *
 * <ul>
 *   <li>every task is completed with the answer to its own input, failed with a reason, or pending
 *       (handed back for a retry);
 *   <li>a task still processing had a heartbeat within its lease (the manager's stale threshold);
 *   <li>no task got two different outcomes: its accepted complete calls agree with each other and
 *       with what the database holds;
 * </ul>
 *
 * and, through {@link #assertRecovers}, that the processors take new work once the fault is gone.
 */
public final class TaskInvariant {
  /** Only stops a hung test; nothing here is timed. */
  public static final Duration PATIENCE = Duration.ofSeconds(90);

  /** How long after a task's write its complete call may still be unrecorded. */
  private static final Duration RECORD_LAG = Duration.ofSeconds(5);

  private TaskInvariant() {}

  /** Checks the invariant for these tasks; the tasks' default model is TestConfig's. */
  public static void assertHolds(TestStack stack, Collection<String> ids) {
    assertHolds(stack, ids, new TestConfig(null, null).modelName);
  }

  /** Checks the invariant for these tasks, whose default model is {@code defaultModel}. */
  public static void assertHolds(TestStack stack, Collection<String> ids, String defaultModel) {
    awaitCallsRecorded(stack, ids);
    long now = System.currentTimeMillis();
    long leaseMs = stack.manager.options().staleAfter().toMillis();
    Map<String, List<CompleteCall>> accepted =
        stack.completeCalls().stream()
            .filter(CompleteCall::accepted)
            .collect(Collectors.groupingBy(CompleteCall::taskId));
    List<String> problems = new ArrayList<>();
    for (String id : ids) {
      TaskRecord t = stack.manager.requireTask(id);
      List<CompleteCall> calls = accepted.getOrDefault(id, List.of());
      Set<String> outcomes =
          calls.stream().map(CompleteCall::status).collect(Collectors.toCollection(TreeSet::new));
      if (outcomes.size() > 1) {
        problems.add(id + ": accepted complete calls disagree: " + outcomes);
      }
      switch (t.status()) {
        case COMPLETED -> {
          String expected = expectedResult(stack, t, defaultModel);
          if (!t.result().equals(expected)) {
            problems.add(
                id + ": result " + quote(t.result()) + " is not the answer " + quote(expected));
          }
          if (!outcomes.equals(Set.of("completed"))) {
            problems.add(id + ": completed, but the accepted complete calls were " + outcomes);
          }
        }
        case FAILED -> {
          if (t.errorMessage() == null || t.errorMessage().isBlank()) {
            problems.add(id + ": failed without a reason");
          }
          // The manager's own cleanup fails a task without any complete call.
          if (!outcomes.isEmpty() && !outcomes.equals(Set.of("failed"))) {
            problems.add(id + ": failed, but the accepted complete calls were " + outcomes);
          }
        }
        case PENDING -> {
          if (!outcomes.isEmpty()) {
            problems.add(id + ": pending after accepted complete calls " + outcomes);
          }
        }
        case PROCESSING -> {
          Long beat = t.heartbeatAt();
          if (beat == null || now - beat > leaseMs) {
            problems.add(
                id
                    + ": processing by "
                    + t.processorId()
                    + " without a heartbeat within its "
                    + leaseMs
                    + " ms lease");
          }
        }
      }
    }
    assertThat(problems).as("invariant violations").isEmpty();
  }

  /**
   * The manager writes a task before it records the complete call that wrote it, so a test that saw
   * the task completed can look at the calls a moment too early: this waits, briefly, until every
   * completed task's accepted call is recorded (if one never is, the checks say so).
   */
  public static void awaitCallsRecorded(TestStack stack, Collection<String> ids) {
    try {
      await()
          .atMost(RECORD_LAG)
          .until(
              () -> {
                Set<String> reported =
                    stack.completeCalls().stream()
                        .filter(CompleteCall::accepted)
                        .map(CompleteCall::taskId)
                        .collect(Collectors.toSet());
                return ids.stream()
                    .filter(id -> stack.manager.requireTask(id).status() == TaskStatus.COMPLETED)
                    .allMatch(reported::contains);
              });
    } catch (ConditionTimeoutException e) {
      // assertHolds names the tasks whose call is missing
    }
  }

  /** The simulator's answer to the request the processor builds from this task's own input. */
  public static String expectedResult(TestStack stack, TaskRecord t, String defaultModel) {
    ChatRequest r;
    try {
      r = new PromptBuilder(defaultModel).build(t.productData(), t.ollamaParams());
    } catch (InvalidTaskException e) {
      throw new AssertionError("task " + t.id() + " cannot have been completed: " + e, e);
    }
    return stack.ollama.expectedText(
        r.model(), r.system(), r.user(), GenerationOptions.of(r.options()));
  }

  /**
   * Submits {@code count} fresh tasks and waits until every one is completed with its own answer:
   * the processors recovered by themselves.
   */
  public static void assertRecovers(TestStack stack, int count) {
    List<String> fresh = stack.manager.submitMany("recovery-" + System.nanoTime(), count);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                fresh.stream()
                    .allMatch(
                        id -> stack.manager.requireTask(id).status() == TaskStatus.COMPLETED));
    assertHolds(stack, fresh);
  }

  /** Waits until none of these tasks is pending or processing. */
  public static void awaitFinal(TestStack stack, Collection<String> ids) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                ids.stream()
                    .map(id -> stack.manager.requireTask(id).status())
                    .allMatch(s -> s == TaskStatus.COMPLETED || s == TaskStatus.FAILED));
  }

  /** Waits until every one of these tasks is completed. */
  public static void awaitCompleted(TestStack stack, Collection<String> ids) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id -> stack.manager.requireTask(id).status() == TaskStatus.COMPLETED));
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return "\"" + (s.length() <= 200 ? s : s.substring(0, 200) + "...") + "\"";
  }
}
