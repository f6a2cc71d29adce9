package dev.gollm.processor.reliability;

import static dev.gollm.processor.reliability.ManagerProxy.forwardAndReplace;
import static dev.gollm.processor.reliability.ManagerProxy.forwardAndTruncate;
import static dev.gollm.processor.reliability.ManagerProxy.forwardChanged;
import static dev.gollm.processor.reliability.ManagerProxy.htmlErrorPage;
import static dev.gollm.processor.reliability.ManagerProxy.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.manager.ManagerApi.TaskReport;
import dev.gollm.processor.manager.ManagerClient;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.testing.TestTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the manager client makes of the nonsense a manager (or whatever stands between) may answer:
 * each answer becomes the typed failure its caller acts on, over real HTTP through {@link
 * ManagerProxy} in front of devstack's manager. What the processor then does with each type is
 * pinned by ClaimerTest, LeaseHeartbeaterTest and OutcomeReporterTest; BadManagerAnswersTest keeps
 * end to end the answers whose recovery needs the manager's own rules.
 */
class ManagerClientAnswersTest {
  private static final String HTML_200 =
      "<!DOCTYPE html><html><body><h1>Welcome</h1><p>Please log in.</p></body></html>";

  private ManagerServer manager;
  private ManagerProxy proxy;
  private HttpTransport http;
  private ManagerClient client;

  @BeforeEach
  void start() throws Exception {
    manager = ManagerServer.start(ManagerOptions.builder().build());
    proxy = ManagerProxy.start();
    proxy.forwardTo(manager.baseUri());
    http = TestTransport.create();
    client =
        new ManagerClient(
            http,
            proxy.baseUri(),
            manager.apiKey(),
            "proc-test",
            Duration.ofSeconds(30),
            new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).manager());
  }

  @AfterEach
  void stop() {
    http.close();
    proxy.close();
    manager.close();
  }

  static Stream<Arguments> answers() {
    Class<?> unavailable = ManagerException.Unavailable.class;
    Class<?> rejected = ManagerException.Rejected.class;
    return Stream.of(
        Arguments.of("claim", "a 502 HTML error page", htmlErrorPage(502), unavailable),
        Arguments.of("claim", "a 200 HTML page", respond(200, "text/html", HTML_200), unavailable),
        Arguments.of("claim", "truncated JSON", forwardAndTruncate(), unavailable),
        Arguments.of(
            "claim", "JSON without tasks", forwardAndReplace("{\"success\":true}"), unavailable),
        Arguments.of("claim", "a 302 redirect", respond(302, "text/html", ""), rejected),
        Arguments.of("heartbeat", "a 503 HTML error page", htmlErrorPage(503), unavailable),
        Arguments.of("heartbeat", "JSON without success", forwardAndReplace("{}"), unavailable),
        Arguments.of("heartbeat", "a 400", respond(400, "text/plain", "bad request"), rejected),
        Arguments.of("complete", "a 502 HTML error page", htmlErrorPage(502), unavailable),
        Arguments.of("complete", "truncated JSON", forwardAndTruncate(), unavailable),
        Arguments.of("complete", "JSON without success", forwardAndReplace("{}"), unavailable),
        Arguments.of(
            "complete",
            "a 409",
            respond(409, "application/json", "{\"error\":\"conflict\"}"),
            rejected));
  }

  @ParameterizedTest(name = "{0} answered with {1}")
  @MethodSource("answers")
  void aNonsenseAnswerBecomesTheFailureItsCallerActsOn(
      String endpoint, String what, ManagerProxy.Answer answer, Class<?> failure) {
    String taskId = claimOne();
    proxy.answerNext(endpoint, 1, answer);

    assertThatThrownBy(() -> call(endpoint, taskId)).isInstanceOf(failure);
    assertThat(proxy.scriptedLeft(endpoint)).isZero();
  }

  @Test
  void moreTasksThanAskedForArePassedOnForTheClaimerToIgnore() {
    manager.submitMany("plenty", 5);
    proxy.answerNext(
        "claim",
        1,
        forwardChanged(body -> body.replaceAll("\"batch_size\":\\d+", "\"batch_size\":5")));

    List<ManagerTask> claimed = client.claim(2);

    assertThat(claimed).hasSize(5);
  }

  /** A task processing by this client, for the calls about one task. */
  private String claimOne() {
    manager.submit("a mug to report on");
    return client.claim(1).getFirst().id();
  }

  private void call(String endpoint, String taskId) {
    switch (endpoint) {
      case "claim" -> client.claim(1);
      case "heartbeat" -> client.heartbeat(taskId);
      case "complete" -> client.complete(taskId, new TaskReport.Completed("an answer"));
      default -> throw new IllegalArgumentException(endpoint);
    }
  }
}
