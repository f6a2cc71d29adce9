package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/internal/task-stream: framing, replay, broadcast, heartbeats, timeout (section 5). */
class TaskStreamTest {
  private static final long NOW = 1_752_141_600_000L;
  private final TestClock clock = new TestClock(NOW);

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).relaxSseClamps(true).build());

  private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"([^\"]+)\"");

  private void awaitConnections(int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.server().sseConnectionCount() == count);
  }

  @Test
  void streamFramesConnectReplayAndBroadcastExactlyAsTheManager() throws Exception {
    String mug =
        manager
            .server()
            .submit(
                NewTask.of("Handmade ceramic mug")
                    .withPriority(2)
                    .withOllamaParams("{\"model\":\"gemma3:1b\",\"temperature\":0.3}"))
            .getFirst();
    String earbuds = manager.server().submit("Wireless earbuds");

    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=proc-1a2b3c4d&heartbeat=20000")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
      assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(stream.header("Connection")).isEqualTo("keep-alive");
      assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(stream.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(stream.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(stream.header("Access-Control-Allow-Credentials")).isEqualTo("true");
      assertThat(stream.header("Transfer-Encoding")).isEqualTo("chunked");

      assertThat(stream.nextEvent())
          .isEqualTo(
              "data: {\"type\":\"heartbeat\",\"data\":{\"message\":\"Connected\"},\"timestamp\":"
                  + NOW
                  + "}\n\n");
      assertThat(stream.nextEvent())
          .isEqualTo(
              "data: {\"type\":\"task_available\",\"data\":{\"estimatedComplexity\":3,"
                  + "\"ollamaParams\":\"{\\\"model\\\":\\\"gemma3:1b\\\",\\\"temperature\\\":0.3}\","
                  + "\"priority\":2,\"productData\":\"Handmade ceramic mug\",\"taskId\":\""
                  + mug
                  + "\"},\"timestamp\":"
                  + NOW
                  + "}\n\n");
      assertThat(stream.nextEvent())
          .isEqualTo(
              "data: {\"type\":\"task_available\",\"data\":{\"estimatedComplexity\":3,"
                  + "\"ollamaParams\":null,\"priority\":0,\"productData\":\"Wireless earbuds\","
                  + "\"taskId\":\""
                  + earbuds
                  + "\"},\"timestamp\":"
                  + NOW
                  + "}\n\n");

      clock.advance(Duration.ofSeconds(22));
      String bottle =
          manager
              .server()
              .submit(
                  NewTask.of("Steel bottle & carry loop")
                      .withPriority(1)
                      .withOllamaParams("{\"model\":\"gemma3:1b\"}"))
              .getFirst();

      assertThat(stream.nextEvent())
          .isEqualTo(
              "data: {\"type\":\"task_available\",\"data\":{"
                  + "\"ollamaParams\":\"{\\\"model\\\":\\\"gemma3:1b\\\"}\",\"priority\":1,"
                  + "\"productData\":\"Steel bottle \\u0026 carry loop\",\"taskId\":\""
                  + bottle
                  + "\"},\"timestamp\":"
                  + (NOW + 22_000)
                  + "}\n\n");
    }
  }

  @Test
  void heartbeatsCarryTheUptimeSinceConnecting() throws Exception {
    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=p1&heartbeat=30")) {
      assertThat(stream.nextEvent()).contains("\"message\":\"Connected\"");
      List<Long> uptimes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String event = stream.nextEvent();
        assertThat(event)
            .matches(
                "data: \\{\"type\":\"heartbeat\",\"data\":\\{\"uptime\":\\d+},\"timestamp\":"
                    + NOW
                    + "}\n\n");
        Matcher uptime = Pattern.compile("\"uptime\":(\\d+)").matcher(event);
        assertThat(uptime.find()).isTrue();
        uptimes.add(Long.parseLong(uptime.group(1)));
      }
      assertThat(uptimes.getFirst()).isGreaterThanOrEqualTo(30);
      assertThat(uptimes).doesNotHaveDuplicates().isSorted();
    }
  }

  @Test
  void theTimeoutErrorReplacesAHeartbeatAndLeavesTheStreamOpen() throws Exception {
    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=p1&heartbeat=20&maxDuration=50")) {
      assertThat(stream.nextEvent()).contains("\"message\":\"Connected\"");
      String event;
      while ((event = stream.nextEvent()).contains("\"uptime\"")) {
        assertThat(event).startsWith("data: {\"type\":\"heartbeat\"");
      }
      assertThat(event)
          .isEqualTo(
              "data: {\"type\":\"error\",\"data\":{\"error\":\"Connection timeout exceeded\","
                  + "\"maxDuration\":50,\"processorId\":\"p1\"},\"timestamp\":"
                  + NOW
                  + "}\n\n");

      String id = manager.server().submit("after the timeout");

      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(id);
      assertThat(manager.server().sseConnectionCount()).isEqualTo(1);
    }
  }

  @Test
  void replaySendsAtMostTenPendingTasksByPriority() throws Exception {
    List<String> ids = manager.server().submitMany("t", 11);
    String urgent = manager.server().submit(NewTask.of("urgent").withPriority(9)).getFirst();

    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=p1&heartbeat=20000")) {
      stream.nextEvent();
      List<String> replayed = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        replayed.add(taskIdOf(stream.nextEvent()));
      }
      String marker = manager.server().submit("marker");

      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(marker);
      assertThat(replayed).first().isEqualTo(urgent);
      assertThat(replayed.subList(1, 10)).isEqualTo(ids.subList(0, 9));
    }
  }

  @Test
  void everyOpenStreamGetsEveryBroadcastEvenWithTheSameProcessorId() throws Exception {
    try (RawSseStream first =
            RawSseStream.open(manager.server(), "processor_id=same&heartbeat=20000");
        RawSseStream second =
            RawSseStream.open(manager.server(), "processor_id=same&heartbeat=20000")) {
      first.nextEvent();
      second.nextEvent();
      awaitConnections(2);

      String id = manager.server().submit("for everyone");

      assertThat(taskIdOf(first.nextEvent())).isEqualTo(id);
      assertThat(taskIdOf(second.nextEvent())).isEqualTo(id);
    }
  }

  @Test
  void requeuedAndClaimedTasksAreNotAnnounced() throws Exception {
    String id = manager.server().submit("mug");
    ManagerClient client = new ManagerClient(manager.server());
    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=p1&heartbeat=20000")) {
      stream.nextEvent();
      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(id);
      client.claimIds("p1", 1);
      client.post("/api/internal/requeue", "{\"taskId\":\"" + id + "\",\"processor_id\":\"p1\"}");
      String marker = manager.server().submit("marker");

      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(marker);
    }
  }

  @Test
  void tasksRequeuedByCleanupAreNotAnnounced() throws Exception {
    String id = manager.server().submit("mug");
    ManagerClient client = new ManagerClient(manager.server());
    try (RawSseStream stream =
        RawSseStream.open(manager.server(), "processor_id=p1&heartbeat=20000")) {
      stream.nextEvent();
      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(id);
      client.claimIds("p1", 1);
      clock.advance(Duration.ofMinutes(5).plusMillis(1));
      client.post("/api/internal/cleanup", "");
      assertThat(manager.server().requireTask(id).status()).isEqualTo(TaskStatus.PENDING);
      String marker = manager.server().submit("marker");

      assertThat(taskIdOf(stream.nextEvent())).isEqualTo(marker);
    }
  }

  @Test
  void missingProcessorIdIs400() throws Exception {
    ManagerClient.Reply reply =
        new ManagerClient(manager.server()).get("/api/internal/task-stream?heartbeat=5000");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).isEqualTo("{\"error\":\"Missing processor_id parameter\"}\n");
  }

  @Test
  void streamWithoutKeyIs401() throws Exception {
    try (RawSseStream stream = RawSseStream.open(manager.server(), "processor_id=p", null)) {
      assertThat(stream.status()).isEqualTo(401);
    }
  }

  @Test
  void theManagersClampsApplyUnlessRelaxed() {
    SseLimits manager = SseLimits.of(false);
    assertThat(manager.heartbeatMs("1")).isEqualTo(5_000);
    assertThat(manager.heartbeatMs("60000")).isEqualTo(20_000);
    assertThat(manager.heartbeatMs("abc")).isEqualTo(15_000);
    assertThat(manager.heartbeatMs(null)).isEqualTo(15_000);
    assertThat(manager.heartbeatMs("12000")).isEqualTo(12_000);
    assertThat(manager.maxDurationMs("1000")).isEqualTo(60_000);
    assertThat(manager.maxDurationMs("99999999")).isEqualTo(7_200_000);
    assertThat(manager.maxDurationMs("1.5")).isEqualTo(3_600_000);
    SseLimits relaxed = SseLimits.of(true);
    assertThat(relaxed.heartbeatMs("50")).isEqualTo(50);
    assertThat(relaxed.maxDurationMs("200")).isEqualTo(200);
    assertThat(relaxed.heartbeatMs("60000")).isEqualTo(20_000);
  }

  private static String taskIdOf(String event) {
    assertThat(event).startsWith("data: {\"type\":\"task_available\"");
    Matcher matcher = TASK_ID.matcher(event);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }
}
