package dev.gollm.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.GenerationOptions;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.ollama.SimulatedAnswer;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.testing.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The processing core end to end, over real HTTP against devstack's manager and simulator. */
@Timeout(120)
class ProcessingEndToEndTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Every parameter shape (i % 4) with every priority (i % 3) several times over. */
  private static final int BACKLOG = 60;

  private static String params(int i) {
    return switch (i % 4) {
      case 0 -> null;
      case 1 -> "{\"temperature\":0.7,\"seed\":" + i + "}";
      case 2 -> "{\"prompt\":\"Describe product " + i + ".\",\"max_tokens\":6}";
      default -> "{\"top_k\":" + (i % 50 + 1) + ",\"stop\":[\"colour" + (i % 3) + "\"]}";
    };
  }

  private static String expectedResult(TaskRecord t) {
    ChatRequest r = new PromptBuilder("gemma2:1b").build(t.productData(), t.ollamaParams());
    return SimulatedAnswer.expectedText(
        r.model(), r.system(), r.user(), GenerationOptions.of(r.options()));
  }

  @Test
  void aBacklogOfTasksAllCompleteEachWithTheAnswerToItsOwnInput() {
    try (TestStack stack = new TestStack(OllamaSimulator.Options.builder().slots(4).build())) {
      List<NewTask> tasks = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        tasks.add(
            new NewTask(
                "product " + i + " colour" + (i % 5) + " size " + (i % 9),
                i % 3,
                params(i),
                3,
                null));
      }
      List<String> ids = stack.manager.submit(tasks);

      stack.startProcessor(c -> c.workerCount = 4);

      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) == BACKLOG);
      for (String id : ids) {
        TaskRecord t = stack.manager.requireTask(id);
        assertThat(t.result()).as("result of %s", t.productData()).isEqualTo(expectedResult(t));
      }
      // The manager writes a task before it records the call that wrote it.
      await().atMost(PATIENCE).until(() -> stack.manager.completeCalls().size() >= BACKLOG);
      assertThat(stack.manager.completeCalls()).hasSize(BACKLOG);
    }
  }

  @Test
  void neverMoreGenerationsThanWorkersNorMoreLeasesThanWorkersPlusPrefetch() {
    try (TestStack stack = new TestStack(OllamaSimulator.Options.builder().slots(16).build())) {
      stack.manager.submitMany("backlog", 100);
      AtomicLong peakProcessing = new AtomicLong();

      stack.startProcessor(
          c -> {
            c.workerCount = 3;
            c.prefetch = 2;
          });

      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                peakProcessing.accumulateAndGet(
                    stack.manager.count(TaskStatus.PROCESSING), Math::max);
                return stack.manager.count(TaskStatus.COMPLETED) >= 40;
              });
      assertThat(peakGenerations(stack.ollama.requests())).isBetween(1, 3);
      assertThat(peakProcessing.get()).isBetween(1L, 5L);
    }
  }

  @Test
  void aPermanentErrorFailsItsTaskAtOnceWithAMessage() {
    try (TestStack stack = new TestStack()) {
      String badType =
          stack
              .manager
              .submit(List.of(new NewTask("mug", 0, "{\"temperature\":\"hot\"}", 3, null)))
              .getFirst();
      String noSuchModel =
          stack
              .manager
              .submit(List.of(new NewTask("mug", 0, "{\"model\":\"nope:7b\"}", 3, null)))
              .getFirst();
      String good = stack.manager.submit("a fine mug");

      stack.startProcessor(c -> {});

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.manager.count(TaskStatus.FAILED) == 2
                      && stack.manager.count(TaskStatus.COMPLETED) == 1);
      assertThat(stack.manager.requireTask(badType).errorMessage())
          .contains("temperature")
          .contains("a number");
      assertThat(stack.manager.requireTask(noSuchModel).errorMessage()).contains("nope:7b");
      assertThat(stack.manager.requireTask(good).status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(stack.metrics(0).snapshot().tasksRetried()).isZero();
    }
  }

  @Test
  void aLeaseStolenMidGenerationCancelsTheStreamAndTheLoserSendsNoComplete() {
    ModelProfile slow =
        ModelProfile.fast("gemma2:1b")
            .withTokensPerSecond(20)
            .withAnswerLength(AnswerLength.fixed(400));
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder().stealAfter(Duration.ZERO).stealOwnerMinimum(0),
            OllamaSimulator.Options.builder().model(slow).build())) {
      String id = stack.manager.submit("a slowly described mug");
      stack.startProcessor(
          c -> {
            c.workerCount = 1;
            // The simulator notices a client gone only while it streams (Ollama does either way).
            c.llmStream = true;
          });
      await().atMost(PATIENCE).until(() -> runningRequests(stack) == 1);

      stealAs(stack, "proc-thief");

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.ollama.requests().stream()
                      .anyMatch(r -> r.outcome() == RequestRecord.Outcome.CANCELLED));
      assertThat(stack.manager.requireTask(id).processorId()).isEqualTo("proc-thief");
      assertThat(stack.manager.completeCallsFor(id))
          .extracting(CompleteCall::processorId)
          .doesNotContain("proc-test");
      assertThat(stack.registry(0).counter("processor.leases.lost").count()).isPositive();
    }
  }

  @Test
  void tasksWaitingForAMissingModelShareOnePull() {
    try (TestStack stack =
        new TestStack(OllamaSimulator.Options.builder().pullStep(Duration.ofMillis(50)).build())) {
      List<NewTask> tasks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tasks.add(new NewTask("pulled mug " + i, 0, "{\"model\":\"qwen2.5:0.5b\"}", 3, null));
      }
      stack.manager.submit(tasks);

      stack.startProcessor(c -> c.workerCount = 6);

      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) == 6);
      assertThat(stack.ollama.stats().pulls()).isEqualTo(1);
      assertThat(stack.ollama.modelNames()).contains("qwen2.5:0.5b");
    }
  }

  @Test
  void aRejectedKeyMakesTheProcessorUnreadyAndClaimsNothing() {
    try (TestStack stack = new TestStack()) {
      String id = stack.manager.submit("a mug for the right key only");

      stack.startProcessor(c -> c.apiKey = "not-the-key");

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.reachability(0).problems().stream()
                      .anyMatch(p -> p.contains("rejects INTERNAL_API_KEY")));
      assertThat(stack.manager.requireTask(id).status()).isEqualTo(TaskStatus.PENDING);
    }
  }

  /**
   * The most generations that overlapped at the simulator, from its records. A record's end is
   * taken before its last byte is sent, so a client's next request always starts after it (the
   * simulator's own slot count is released a moment later and can briefly count both).
   */
  private static int peakGenerations(List<RequestRecord> records) {
    List<long[]> edges = new ArrayList<>();
    for (RequestRecord r : records) {
      if (r.start() != null) {
        edges.add(new long[] {nanos(r.start()), 1});
        edges.add(new long[] {r.end() == null ? Long.MAX_VALUE : nanos(r.end()), -1});
      }
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int peak = 0;
    for (long[] edge : edges) {
      open += (int) edge[1];
      peak = Math.max(peak, open);
    }
    return peak;
  }

  private static long nanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static long runningRequests(TestStack stack) {
    return stack.ollama.requests().stream()
        .filter(r -> r.outcome() == RequestRecord.Outcome.RUNNING && !r.loadOnly())
        .count();
  }

  private static void stealAs(TestStack stack, String thief) {
    String answer =
        stack.postToManager(
            "work-steal", "{\"processor_id\":\"" + thief + "\",\"max_steal_count\":1}");
    assertThat(answer).contains("\"stolen_count\":1");
  }
}
