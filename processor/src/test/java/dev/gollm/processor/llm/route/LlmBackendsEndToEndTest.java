package dev.gollm.processor.llm.route;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static dev.gollm.processor.testing.TaskInvariant.awaitFinal;
import static dev.gollm.processor.testing.TaskInvariant.expectedResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.GenerationOptions;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.config.ProcessorConfig.LlmApi;
import dev.gollm.processor.config.ProcessorConfig.LlmEndpoint;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.testing.TestStack;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The processor against simulated LLM servers over real HTTP: an OpenAI-compatible server with a
 * key, a mixed pair found by LLM_API=auto, and two servers of which one dies mid-run.
 */
@Timeout(180)
class LlmBackendsEndToEndTest {
  private static final String MODEL = "gemma2:1b";
  private static final String KEY = "sk-e2e";

  /** About a quarter of a second per answer, so a backend can die with answers in progress. */
  private static final ModelProfile QUARTER_SECOND =
      ModelProfile.fast(MODEL).withTokensPerSecond(40).withAnswerLength(AnswerLength.fixed(10));

  private static OllamaSimulator.Builder sim(int slots) {
    return OllamaSimulator.Options.builder().slots(slots).model(QUARTER_SECOND);
  }

  private static String params(int i) {
    return switch (i % 3) {
      case 0 -> null;
      case 1 -> "{\"temperature\":0.7,\"seed\":" + i + ",\"max_tokens\":4}";
      default -> "{\"stop\":[\"colour" + (i % 2) + "\"],\"top_k\":7}";
    };
  }

  private static List<String> submitVaried(TestStack stack, int count) {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new NewTask("product " + i + " colour" + (i % 3), 0, params(i), 3, null));
    }
    return stack.manager.submit(tasks);
  }

  /** The simulator's answer over /v1, where Ollama's layer drops top_k and repeat_penalty. */
  private static String expectedOverOpenAi(OllamaSimulator sim, TaskRecord t) {
    ChatRequest r = new PromptBuilder(MODEL).build(t.productData(), t.ollamaParams());
    Map<String, Object> sent = new HashMap<>(r.options());
    sent.keySet().removeAll(Set.of("top_k", "repeat_penalty"));
    return sim.expectedText(r.model(), r.system(), r.user(), GenerationOptions.of(sent));
  }

  @Test
  void anOpenAiCompatibleServerWithAKeyAnswersEveryTaskWithItsOwnInput() {
    try (TestStack stack = new TestStack(sim(4).openAiOnly(true).apiKey(KEY).build())) {
      List<String> ids = submitVaried(stack, 24);

      stack.startProcessor(
          c -> {
            c.llmApi = LlmApi.OPENAI;
            c.llmApiKey = KEY;
          });

      awaitCompleted(stack, ids);
      for (String id : ids) {
        TaskRecord t = stack.manager.requireTask(id);
        assertThat(t.result()).as(t.productData()).isEqualTo(expectedOverOpenAi(stack.ollama, t));
      }
      assertThat(stack.ollama.requests())
          .allSatisfy(
              r -> {
                assertThat(r.endpoint()).isEqualTo("/v1/chat/completions");
                assertThat(r.stream()).as("a whole answer asked for").isFalse();
              });
      assertThat(
              stack
                  .registry(0)
                  .get("processor.llm.completion_tokens")
                  .tag("endpoint", stack.ollama.baseUrl())
                  .counter()
                  .count())
          .isPositive();
    }
  }

  @Test
  void aModelTheOpenAiServerDoesNotListFailsTheTaskAtOnceNamingWhatItOffers() {
    try (TestStack stack = new TestStack(sim(2).openAiOnly(true).build())) {
      String id =
          stack
              .manager
              .submit(new NewTask("a mug", 0, "{\"model\":\"qwen9:70b\"}", 3, null))
              .get(0);

      stack.startProcessor(c -> c.llmApi = LlmApi.OPENAI);

      awaitFinal(stack, List.of(id));
      TaskRecord t = stack.manager.requireTask(id);
      assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(t.errorMessage()).contains("qwen9:70b").contains(MODEL);
      assertThat(t.retryCount()).as("failed at once, never requeued").isZero();
    }
  }

  @Test
  void autoFindsEachEndpointsApiAndBothServeTasks() {
    try (TestStack stack = new TestStack(sim(2).build());
        OllamaSimulator openAi = new OllamaSimulator(sim(2).openAiOnly(true).build()).start()) {
      List<String> ids = submitVaried(stack, 30);

      stack.startProcessor(
          c -> {
            c.llmApi = LlmApi.AUTO;
            c.llmEndpoints =
                List.of(
                    new LlmEndpoint(URI.create(stack.ollama.baseUrl()), 2),
                    new LlmEndpoint(URI.create(openAi.baseUrl()), 2));
          });

      awaitCompleted(stack, ids);
      assertThat(stack.ollama.requests()).extracting(RequestRecord::endpoint).contains("/api/chat");
      assertThat(openAi.requests())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.endpoint()).isEqualTo("/v1/chat/completions"));
      for (String id : ids) {
        TaskRecord t = stack.manager.requireTask(id);
        boolean viaOpenAi =
            openAi.requests().stream()
                .anyMatch(
                    r ->
                        r.user().equals(t.productData())
                            && r.outcome() == RequestRecord.Outcome.DONE);
        String expected =
            viaOpenAi ? expectedOverOpenAi(openAi, t) : expectedResult(stack, t, MODEL);
        assertThat(t.result()).as(t.productData()).isEqualTo(expected);
      }
    }
  }

  @Test
  void oneOfTwoBackendsKilledMidRunLosesNoTask() {
    OllamaSimulator doomed = new OllamaSimulator(sim(2).build()).start();
    try (TestStack stack = new TestStack(sim(2).build())) {
      List<String> ids = stack.manager.submitMany("kill", 40);
      stack.startProcessor(
          c -> {
            c.workerCount = 4;
            c.maxRetries = 3;
            c.llmEndpoints =
                List.of(
                    new LlmEndpoint(URI.create(stack.ollama.baseUrl()), 2),
                    new LlmEndpoint(URI.create(doomed.baseUrl()), 2));
          });
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  doomed.stats().done() >= 3
                      && doomed.requests().stream()
                          .anyMatch(r -> r.outcome() == RequestRecord.Outcome.RUNNING));

      doomed.close();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertThat(stack.manager.completeCalls()).as("each task completed once").hasSize(ids.size());
      assertThat(
              stack
                  .registry(0)
                  .get("processor.llm.errors")
                  .tag("endpoint", doomed.baseUrl())
                  .counters())
          .as("the killed backend's running answers failed and moved on")
          .isNotEmpty();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ready =
          (List<Map<String, Object>>) stack.reachability(0).details().get("llm_endpoints");
      assertThat(ready)
          .as("/ready's detail")
          .extracting(e -> e.get("url") + " " + e.get("state"))
          .containsExactly(
              stack.ollama.baseUrl() + " up", doomed.baseUrl() + " " + ready.get(1).get("state"));
      assertThat(ready.get(1).get("state")).isIn("open", "half_open");
      assertThat(stack.metrics(0).jsonSections()).containsKey("llm_endpoints");
    } finally {
      doomed.close(); // a second close, after the kill, does nothing
    }
  }
}
