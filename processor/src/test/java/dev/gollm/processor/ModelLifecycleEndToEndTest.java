package dev.gollm.processor;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static dev.gollm.processor.testing.TaskInvariant.awaitFinal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.PullFailure;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A processor against an Ollama that loads models, keeps them for a while, cuts long prompts and
 * fails pulls: the model is loaded at start, tasks never pay a load the processor could foresee,
 * cut prompts are never answered, and transient pull failures are outlasted.
 */
@Timeout(120)
class ModelLifecycleEndToEndTest {
  private static final String MODEL = "gemma2:1b";

  private static TestStack stack(ModelProfile profile) {
    return new TestStack(OllamaSimulator.Options.builder().model(profile).build());
  }

  private static List<RequestRecord> generations(TestStack stack) {
    return stack.ollama.requests().stream()
        .filter(r -> !r.loadOnly() && r.model() != null)
        .toList();
  }

  private static List<RequestRecord> loads(TestStack stack) {
    return stack.ollama.requests().stream().filter(RequestRecord::loadOnly).toList();
  }

  @Test
  void theModelIsLoadedAtStartWhileReadySaysSoAndTheFirstTaskDoesNotPayTheLoad() {
    try (TestStack stack = stack(ModelProfile.fast(MODEL).withLoadTime(Duration.ofSeconds(1)))) {
      stack.startProcessor(c -> {});

      await()
          .atMost(PATIENCE)
          .until(
              () -> stack.reachability(0).problems().contains("ollama: model gemma2:1b loading"));
      await().atMost(PATIENCE).until(() -> loads(stack).stream().anyMatch(r -> r.end() != null));
      String id = stack.manager.submit("a red mug");

      awaitCompleted(stack, List.of(id));
      assertThat(loads(stack)).singleElement().satisfies(r -> assertThat(r.coldStart()).isTrue());
      assertThat(generations(stack))
          .singleElement()
          .satisfies(r -> assertThat(r.coldStart()).isFalse());
      assertThat(stack.ollama.requests())
          .extracting(RequestRecord::keepAlive)
          .containsOnly(Duration.ofMinutes(30));
      assertThat(stack.reachability(0).problems()).noneMatch(p -> p.startsWith("ollama:"));
    }
  }

  @Test
  void readinessDoesNotPingTheLlmBeforeTheStartUpModelCheckHasReported() throws Exception {
    try (TestStack stack = stack(ModelProfile.fast(MODEL).withLoadTime(Duration.ofSeconds(1)));
        Processor processor =
            new Processor(stack.config().build(), stack.config().policy(), Clock.systemUTC())) {

      // Asked before the check could run: a ping answered now would make the processor ready
      // for a task that then waits for the model's load.
      List<String> problems = processor.reachability().problems();

      assertThat(problems).contains("ollama: not reached yet");
    }
  }

  @Test
  void aPromptLongerThanTheContextWindowFailsItsTaskNamingTheSizes() {
    try (TestStack stack = stack(ModelProfile.fast(MODEL).withNumCtx(256))) {
      String id = stack.manager.submit(String.join(" ", Collections.nCopies(400, "mug")));
      stack.startProcessor(c -> {});

      awaitFinal(stack, List.of(id));
      assertThat(stack.manager.requireTask(id).errorMessage())
          .contains("context window of 256 tokens")
          .containsPattern("at least \\d+ tokens");
      assertThat(generations(stack)).noneMatch(r -> r.cutTokens() > 0);
    }
  }

  @Test
  void anAutomaticContextWindowFitsTheSamePromptAndItIsAnswered() {
    try (TestStack stack = stack(ModelProfile.fast(MODEL).withNumCtx(256))) {
      String id = stack.manager.submit(String.join(" ", Collections.nCopies(400, "mug")));
      stack.startProcessor(c -> c.numCtx = NumCtx.AUTO);

      awaitCompleted(stack, List.of(id));
      assertThat(generations(stack))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.numCtx()).isEqualTo(4096);
                assertThat(r.cutTokens()).isZero();
                assertThat(r.coldStart()).isFalse();
              });
    }
  }

  @Test
  void tasksWaitingForAPullThatFailsTransientlyCompleteOnceARetrySucceeds() {
    try (TestStack stack = stack(ModelProfile.fast(MODEL))) {
      stack.ollama.removeModel(MODEL);
      stack.ollama.faults().failPulls(PullFailure.TRANSIENT, 2);
      List<String> ids = stack.manager.submitMany("pulled mug", 4);
      stack.startProcessor(c -> {});

      awaitCompleted(stack, ids);
      assertThat(stack.ollama.stats().pulls()).isEqualTo(3);
      assertThat(stack.metrics(0).snapshot().tasksRetried()).isZero();
    }
  }

  @Test
  void tasksWaitingForAPullThatFailsFinallyFailAtOnceWithTheReason() {
    try (TestStack stack = stack(ModelProfile.fast(MODEL))) {
      stack.ollama.removeModel(MODEL);
      stack.ollama.faults().failPulls(PullFailure.FINAL);
      List<String> ids = stack.manager.submitMany("unpullable mug", 3);
      stack.startProcessor(c -> {});

      awaitFinal(stack, ids);
      assertThat(ids)
          .allSatisfy(
              id ->
                  assertThat(stack.manager.requireTask(id).errorMessage())
                      .contains("file does not exist"));
      assertThat(stack.metrics(0).snapshot().tasksRetried()).isZero();
      assertThat(stack.reachability(0).problems())
          .anySatisfy(p -> assertThat(p).startsWith("ollama: model gemma2:1b not available"));
    }
  }
}
