package dev.gollm.processor.reliability;

import static dev.gollm.processor.reliability.ManagerProxy.forwardAndReplace;
import static dev.gollm.processor.reliability.ManagerProxy.forwardAndTruncate;
import static dev.gollm.processor.reliability.ManagerProxy.forwardChanged;
import static dev.gollm.processor.reliability.ManagerProxy.htmlErrorPage;
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
 * The manager (or whatever stands between) answers nonsense: HTML error pages, truncated JSON,
 * answers without the expected fields, unexpected statuses, more tasks than asked. The processor
 * retries, or leaves the task to the manager's cleanup; it never crashes, never gets stuck, and the
 * invariant holds once the answers are sane again.
 */
@Timeout(120)
class BadManagerAnswersTest {
  private static final String HTML_200 =
      "<!DOCTYPE html><html><body><h1>Welcome</h1><p>Please log in.</p></body></html>";

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of("claim", "a 502 HTML error page", htmlErrorPage(502)),
        Arguments.of("claim", "a 200 HTML page", respond(200, "text/html", HTML_200)),
        // The manager claimed the tasks, the processor cannot read which: cleanup returns them.
        Arguments.of("claim", "truncated JSON", forwardAndTruncate()),
        Arguments.of("claim", "JSON without tasks", forwardAndReplace("{\"success\":true}")),
        Arguments.of("claim", "a 302 redirect", respond(302, "text/html", "")),
        Arguments.of(
            "claim",
            "more tasks than asked",
            forwardChanged(body -> body.replaceAll("\"batch_size\":\\d+", "\"batch_size\":20"))),
        Arguments.of("heartbeat", "a 503 HTML error page", htmlErrorPage(503)),
        Arguments.of("heartbeat", "JSON without success", forwardAndReplace("{}")),
        Arguments.of("heartbeat", "a 400", respond(400, "text/plain", "bad request")),
        Arguments.of("complete", "a 502 HTML error page", htmlErrorPage(502)),
        // The manager stored the result; the retry finds the task no longer processing.
        Arguments.of("complete", "truncated JSON", forwardAndTruncate()),
        Arguments.of("complete", "JSON without success", forwardAndReplace("{}")),
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
            c.cleanupInterval = Duration.ofMillis(500);
          });

      await().atMost(PATIENCE).until(() -> proxy.scriptedLeft(endpoint) == 0);
      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }
}
