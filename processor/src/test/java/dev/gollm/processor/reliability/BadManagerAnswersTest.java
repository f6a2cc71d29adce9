package dev.gollm.processor.reliability;

import static dev.gollm.processor.reliability.ManagerProxy.forwardAndTruncate;
import static dev.gollm.processor.reliability.ManagerProxy.respond;
import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.testing.TestStack;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manager (or whatever stands between) answers nonsense whose recovery needs the manager's own
 * rules: a claim the manager executed but the processor cannot read, a redirect instead of tasks, a
 * report the manager stored but whose answer was cut off, a report it refuses. The processor
 * retries, or leaves the task to the manager's cleanup; it never crashes, never gets stuck, and the
 * invariant holds once the answers are sane again.
 *
 * <p>Which typed failure every other nonsense answer (HTML pages, JSON without the expected keys,
 * other statuses, on claim, heartbeat and complete) becomes is pinned by ManagerClientAnswersTest,
 * and what the processor does with each type by ClaimerTest, LeaseHeartbeaterTest and
 * OutcomeReporterTest.
 */
@Timeout(120)
class BadManagerAnswersTest {
  static Stream<Arguments> answers() {
    return Stream.of(
        // The manager claimed the tasks, the processor cannot read which: cleanup returns them.
        Arguments.of("claim", "truncated JSON", forwardAndTruncate()),
        Arguments.of("claim", "a 302 redirect", respond(302, "text/html", "")),
        // The manager stored the result; the retry finds the task no longer processing.
        Arguments.of("complete", "truncated JSON", forwardAndTruncate()),
        // A refused report is dropped; the cleanup returns the task and it runs again.
        Arguments.of(
            "complete", "a 409", respond(409, "application/json", "{\"error\":\"conflict\"}")));
  }

  @ParameterizedTest(name = "{0} answered with {1}")
  @MethodSource("answers")
  void aNonsenseAnswerIsSurvivedAndNothingIsLost(
      String endpoint, String what, ManagerProxy.Answer answer) throws Exception {
    try (ManagerProxy proxy = ManagerProxy.start();
        TestStack stack =
            new TestStack(
                ManagerOptions.builder().staleAfter(Duration.ofSeconds(2)),
                OllamaSimulator.Options.builder().slots(4).build())) {
      proxy.forwardTo(stack.manager.baseUri());
      List<String> ids = stack.manager.submitMany("nonsense " + what, 8);
      proxy.answerNext(endpoint, 2, answer);
      stack.startProcessor(
          c -> {
            c.workerUrl = proxy.baseUri();
            c.cleanupInterval = Duration.ofMillis(250);
          });

      await().atMost(PATIENCE).until(() -> proxy.scriptedLeft(endpoint) == 0);
      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }
}
