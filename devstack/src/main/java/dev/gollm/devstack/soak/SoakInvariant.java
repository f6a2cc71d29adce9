package dev.gollm.devstack.soak;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The soak's end check, the same invariant as the fault-matrix tests: every task completed with the
 * answer to its own input, failed with a reason, or pending; none processing past its lease; no
 * task with two different outcomes. The answer is checked against the simulator's rule applied to
 * the request that carried the task's text (model, system prompt and options as sent).
 */
final class SoakInvariant {
  /** What the check found. {@code violations} lists the first problems, at most 20. */
  record Report(
      int tasks,
      int completed,
      int failedAsExpected,
      int failedOther,
      int pending,
      int processing,
      int duplicateCompletes,
      int violationCount,
      List<String> violations,
      Map<String, Integer> otherFailureReasons) {
    boolean holds() {
      return violationCount == 0;
    }
  }

  private SoakInvariant() {}

  /**
   * Checks {@code ids}; {@code badInput} are the ids created with parameters that must fail.
   *
   * @param leaseMs the manager's stale threshold: a processing task needs a heartbeat within it
   */
  static Report check(
      ManagerServer manager,
      OllamaSimulator ollama,
      Collection<String> ids,
      Set<String> badInput,
      long leaseMs) {
    long now = System.currentTimeMillis();
    Map<String, RequestRecord> answered = new HashMap<>();
    for (RequestRecord r : ollama.requests()) {
      if (r.outcome() == RequestRecord.Outcome.DONE && r.user() != null) {
        answered.put(r.user(), r);
      }
    }
    Map<String, List<CompleteCall>> accepted =
        manager.completeCalls().stream()
            .filter(CompleteCall::accepted)
            .collect(Collectors.groupingBy(CompleteCall::taskId));
    int completed = 0;
    int failedAsExpected = 0;
    int failedOther = 0;
    int pending = 0;
    int processing = 0;
    int duplicates = 0;
    List<String> violations = new ArrayList<>();
    Map<String, Integer> reasons = new HashMap<>();
    for (String id : ids) {
      TaskRecord t = manager.requireTask(id);
      List<CompleteCall> calls = accepted.getOrDefault(id, List.of());
      Set<String> outcomes =
          calls.stream().map(CompleteCall::status).collect(Collectors.toCollection(TreeSet::new));
      if (calls.size() > 1) {
        duplicates++;
      }
      if (outcomes.size() > 1) {
        violations.add(id + ": accepted complete calls disagree: " + outcomes);
      }
      boolean bad = badInput.contains(id);
      switch (t.status()) {
        case COMPLETED -> {
          completed++;
          if (bad) {
            violations.add(id + ": completed although its parameters are invalid");
          }
          String problem = wrongAnswer(ollama, answered.get(t.productData()), t.result());
          if (problem != null) {
            violations.add(id + ": " + problem);
          }
        }
        case FAILED -> {
          if (t.errorMessage() == null || t.errorMessage().isBlank()) {
            violations.add(id + ": failed without a reason");
          } else if (bad) {
            failedAsExpected++;
          } else {
            failedOther++;
            reasons.merge(reasonKind(t.errorMessage()), 1, Integer::sum);
          }
          if (!outcomes.isEmpty() && !outcomes.equals(Set.of("failed"))) {
            violations.add(id + ": failed, but the accepted complete calls were " + outcomes);
          }
        }
        case PENDING -> pending++;
        case PROCESSING -> {
          processing++;
          if (t.heartbeatAt() == null || now - t.heartbeatAt() > leaseMs) {
            violations.add(id + ": processing by " + t.processorId() + " past its lease");
          }
        }
      }
    }
    return new Report(
        ids.size(),
        completed,
        failedAsExpected,
        failedOther,
        pending,
        processing,
        duplicates,
        violations.size(),
        violations.stream().limit(20).toList(),
        reasons);
  }

  /** Null when {@code result} is the simulator's answer to {@code request}; else the problem. */
  private static String wrongAnswer(OllamaSimulator ollama, RequestRecord request, String result) {
    if (request == null) {
      return "completed, but no finished generation for its text was seen";
    }
    String expected =
        ollama.expectedText(request.model(), request.system(), request.user(), request.options());
    if (!expected.equals(result)) {
      return "result \"" + abbreviate(result) + "\" is not the answer \"" + expected + "\"";
    }
    return null;
  }

  /** The reason without task-specific detail, for counting. */
  private static String reasonKind(String message) {
    String m = message.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "N");
    return m.length() <= 100 ? m : m.substring(0, 100) + "...";
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }
}
