package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** work-steal, cleanup and cleanup/stats: contract sections 3.2, 4.6 to 4.8. */
class StealAndCleanupTest {
  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).build());

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private static final String STEAL = "{\"processor_id\":\"thief\"}";

  @Test
  void stealTakesStaleTasksOfAnOwnerHoldingMoreThanFive() {
    manager.server().submitMany("t", 6);
    List<String> held = client().claimIds("hoarder", 6);
    clock.advance(Duration.ofSeconds(61));

    Reply reply = client().post("/api/internal/work-steal", STEAL);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("stolen_count", "stolen_tasks", "success");
    assertThat(reply.json().get("stolen_count").asInt()).isEqualTo(2);
    JsonNode task = reply.json().get("stolen_tasks").get(0);
    assertThat(ManagerClient.keysOf(task))
        .containsExactly(
            "id",
            "user_id",
            "product_data",
            "status",
            "created_at",
            "updated_at",
            "priority",
            "retry_count",
            "max_retries",
            "processor_id",
            "heartbeat_at",
            "timeout_at");
    assertThat(task.get("status").stringValue()).isEmpty();
    assertThat(task.get("created_at").asLong()).isZero();
    assertThat(task.get("max_retries").asInt()).isZero();
    assertThat(task.get("processor_id").stringValue()).isEqualTo("thief");
    assertThat(task.get("heartbeat_at").asLong()).isEqualTo(clock.millis());
    assertThat(task.get("timeout_at").asLong()).isEqualTo(clock.millis() + 300_000);
    String stolenId = task.get("id").stringValue();
    assertThat(held).contains(stolenId);
    TaskRecord stored = manager.server().requireTask(stolenId);
    assertThat(stored.status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(stored.processorId()).isEqualTo("thief");
  }

  @Test
  void theFormerOwnersHeartbeatIs404ButItsCompleteStillSucceeds() {
    manager.server().submitMany("t", 6);
    client().claimIds("hoarder", 6);
    clock.advance(Duration.ofSeconds(61));
    String stolenId =
        client()
            .post("/api/internal/work-steal", "{\"processor_id\":\"thief\",\"max_steal_count\":1}")
            .json()
            .get("stolen_tasks")
            .get(0)
            .get("id")
            .stringValue();

    Reply heartbeat =
        client()
            .post(
                "/api/internal/heartbeat",
                "{\"taskId\":\"" + stolenId + "\",\"processor_id\":\"hoarder\"}");
    Reply complete =
        client()
            .post(
                "/api/internal/complete",
                "{\"taskId\":\"" + stolenId + "\",\"status\":\"completed\"}");

    assertThat(heartbeat.status()).isEqualTo(404);
    assertThat(complete.status()).isEqualTo(200);
  }

  @Test
  void stealLeavesOwnersWithFiveTasksOrFreshHeartbeatsAlone() {
    manager.server().submitMany("t", 5);
    client().claimIds("five", 5);
    clock.advance(Duration.ofSeconds(61));
    manager.server().submitMany("u", 6);
    client().claimIds("fresh", 6);

    Reply reply = client().post("/api/internal/work-steal", STEAL);

    assertThat(reply.body())
        .isEqualTo("{\"stolen_count\":0,\"stolen_tasks\":[],\"success\":true}\n");
  }

  @Test
  void stealNeverTakesFromTheCaller() {
    manager.server().submitMany("t", 6);
    client().claimIds("hoarder", 6);
    clock.advance(Duration.ofSeconds(61));

    Reply reply = client().post("/api/internal/work-steal", "{\"processor_id\":\"hoarder\"}");

    assertThat(reply.json().get("stolen_count").asInt()).isZero();
  }

  @Test
  void maxStealCountOutsideOneToFiveIsReplacedByTwo() {
    manager.server().submitMany("t", 12);
    client().claimIds("hoarder", 12);
    clock.advance(Duration.ofSeconds(61));

    assertThat(
            client()
                .post("/api/internal/work-steal", "{\"processor_id\":\"a\",\"max_steal_count\":9}")
                .json()
                .get("stolen_count")
                .asInt())
        .isEqualTo(2);
    assertThat(
            client()
                .post("/api/internal/work-steal", "{\"processor_id\":\"b\",\"max_steal_count\":5}")
                .json()
                .get("stolen_count")
                .asInt())
        .isEqualTo(5);
  }

  @Test
  void maxStealCountOfZeroOrLessIsReplacedByTwo() {
    manager.server().submitMany("t", 12);
    client().claimIds("hoarder", 12);
    clock.advance(Duration.ofSeconds(61));

    for (String count : List.of("0", "-3")) {
      assertThat(
              client()
                  .post(
                      "/api/internal/work-steal",
                      "{\"processor_id\":\"a\",\"max_steal_count\":" + count + "}")
                  .json()
                  .get("stolen_count")
                  .asInt())
          .as("max_steal_count " + count)
          .isEqualTo(2);
    }
  }

  @Test
  void aHeartbeatExactlyStealAfterOldIsNotYetStealable() {
    manager.server().submitMany("t", 6);
    client().claimIds("hoarder", 6);
    clock.advance(Duration.ofSeconds(60));

    assertThat(client().post("/api/internal/work-steal", STEAL).json().get("stolen_count").asInt())
        .isZero();

    clock.advance(Duration.ofMillis(1));

    assertThat(client().post("/api/internal/work-steal", STEAL).json().get("stolen_count").asInt())
        .isEqualTo(2);
  }

  @Test
  void stealTakesFromTheMostLoadedOwnerFirst() {
    manager.server().submitMany("a", 6);
    client().claimIds("six", 6);
    manager.server().submitMany("b", 7);
    List<String> ofSeven = client().claimIds("seven", 7);
    clock.advance(Duration.ofSeconds(61));

    Reply reply =
        client()
            .post("/api/internal/work-steal", "{\"processor_id\":\"thief\",\"max_steal_count\":5}");

    assertThat(reply.json().get("stolen_tasks"))
        .extracting(task -> task.get("id").stringValue())
        .hasSize(5)
        .allSatisfy(id -> assertThat(ofSeven).contains(id));
  }

  @Test
  void stealNeedsPostAndAProcessorId() {
    Reply get = client().get("/api/internal/work-steal");
    Reply missing = client().post("/api/internal/work-steal", "{}");

    assertThat(get.status()).isEqualTo(405);
    assertThat(get.body()).isEqualTo("{\"error\":\"Method not allowed\"}\n");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error").stringValue()).isEqualTo("processor_id is required");
  }

  @Test
  void cleanupRequeuesStaleTasksThenFailsThemAtMaxRetries() {
    String id = manager.server().submit("mug");
    for (int round = 0; round < 2; round++) {
      client().claimIds("proc-1", 1);
      clock.advance(Duration.ofMinutes(5).plusMillis(1));
      Reply reply = client().post("/api/internal/cleanup", "");
      assertThat(reply.json().get("cleaned").get("timedout").asInt()).isEqualTo(1);
      TaskRecord task = manager.server().requireTask(id);
      assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(task.retryCount()).isEqualTo(round + 1);
      assertThat(task.errorMessage()).isEqualTo("manager: heartbeat timeout");
    }
    client().claimIds("proc-1", 1);
    clock.advance(Duration.ofMinutes(6));

    Reply reply = client().post("/api/internal/cleanup", "");

    assertThat(reply.json().get("cleaned").get("failed").asInt()).isEqualTo(1);
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.retryCount()).isEqualTo(2);
    assertThat(task.errorMessage())
        .isEqualTo("Task failed: heartbeat timeout, max retries reached");
    assertThat(task.completedAt()).isEqualTo(clock.millis());
  }

  @Test
  void cleanupLeavesFreshTasksAndAnswersWithoutSuccessKey() {
    manager.server().submit("mug");
    client().claimIds("proc-1", 1);
    clock.advance(Duration.ofMinutes(4));

    Reply reply = client().post("/api/internal/cleanup", "");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("cleaned", "message", "stats");
    assertThat(ManagerClient.keysOf(reply.json().get("cleaned")))
        .containsExactly("failed", "rateLimits", "tasks", "timedout");
    assertThat(reply.json().get("message").stringValue()).isEqualTo("Cleanup completed");
    assertThat(reply.json().get("cleaned").get("timedout").asInt()).isZero();
    assertThat(manager.server().count(TaskStatus.PROCESSING)).isEqualTo(1);
  }

  @Test
  void cleanupDeletesFinishedTasksOlderThanSevenDaysAndReportsStatsTakenBefore() {
    String id = manager.server().submit("old");
    manager.server().store().complete(id, TaskStatus.COMPLETED, "r", null);
    clock.advance(Duration.ofDays(8));

    Reply reply = client().post("/api/internal/cleanup", "");

    assertThat(reply.json().get("cleaned").get("tasks").asInt()).isEqualTo(1);
    assertThat(reply.json().get("stats").get("completedTasks").asInt()).isEqualTo(1);
    assertThat(reply.json().get("stats").get("tasksOlderThan7Days").asInt()).isEqualTo(1);
    assertThat(manager.server().task(id)).isEmpty();
  }

  @Test
  void cleanupNeedsPost() {
    Reply reply = client().get("/api/internal/cleanup");

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.json().get("error").stringValue()).isEqualTo("Method not allowed");
  }

  @Test
  void cleanupStatsCountsEveryStateAndStaleHeartbeats() {
    manager.server().submitMany("t", 4);
    client().claimIds("proc-1", 2);
    String done = client().claimIds("proc-2", 1).getFirst();
    manager.server().store().complete(done, TaskStatus.FAILED, null, "x");
    clock.advance(Duration.ofMinutes(6));

    Reply reply = client().get("/api/internal/cleanup/stats");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("stats", "success");
    JsonNode stats = reply.json().get("stats");
    assertThat(ManagerClient.keysOf(stats))
        .containsExactly(
            "completedTasks",
            "failedTasks",
            "pendingTasks",
            "processingTasks",
            "rateLimitRecords",
            "tasksOlderThan7Days",
            "timedoutTasks",
            "totalTasks");
    assertThat(stats.get("totalTasks").asInt()).isEqualTo(4);
    assertThat(stats.get("pendingTasks").asInt()).isEqualTo(1);
    assertThat(stats.get("processingTasks").asInt()).isEqualTo(2);
    assertThat(stats.get("failedTasks").asInt()).isEqualTo(1);
    assertThat(stats.get("timedoutTasks").asInt()).isEqualTo(2);
    assertThat(client().post("/api/internal/cleanup/stats", "").status()).isEqualTo(405);
  }
}
