package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** heartbeat, processor-heartbeat, complete and requeue: contract sections 4.2 to 4.5. */
class LeaseEndpointsTest {
  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).build());

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private String claimedTask(String processorId) {
    String id = manager.server().submit("mug");
    assertThat(client().claimIds(processorId, 1)).containsExactly(id);
    return id;
  }

  private static String heartbeatBody(String taskId, String processorId) {
    return "{\"taskId\":\"" + taskId + "\",\"processor_id\":\"" + processorId + "\"}";
  }

  // ---- heartbeat ----

  @Test
  void heartbeatOfTheOwnerRefreshesHeartbeatButNotTimeout() {
    String id = claimedTask("proc-1");
    long timeoutAt = manager.server().requireTask(id).timeoutAt();
    clock.advance(Duration.ofSeconds(10));

    Reply reply = client().post("/api/internal/heartbeat", heartbeatBody(id, "proc-1"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"success\":true}\n");
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.heartbeatAt()).isEqualTo(clock.millis());
    assertThat(task.updatedAt()).isEqualTo(clock.millis());
    assertThat(task.timeoutAt()).isEqualTo(timeoutAt);
  }

  @Test
  void heartbeatOfAnotherProcessorIs404() {
    String id = claimedTask("proc-1");

    Reply reply = client().post("/api/internal/heartbeat", heartbeatBody(id, "proc-2"));

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body())
        .isEqualTo("{\"error\":\"Task not found or not owned by processor\"}\n");
  }

  @Test
  void heartbeatOfAnUnknownOrFinishedTaskIs404() {
    String id = claimedTask("proc-1");
    manager.server().store().complete(id, TaskStatus.COMPLETED, "done", null);

    assertThat(client().post("/api/internal/heartbeat", heartbeatBody(id, "proc-1")).status())
        .isEqualTo(404);
    assertThat(client().post("/api/internal/heartbeat", heartbeatBody("nope", "proc-1")).status())
        .isEqualTo(404);
  }

  @Test
  void heartbeatWithoutTaskIdOrProcessorIdIs400() {
    Reply reply = client().post("/api/internal/heartbeat", "{\"taskId\":\"x\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").stringValue())
        .isEqualTo("taskId and processor_id are required");
    assertThat(
            client()
                .post("/api/internal/heartbeat", "{\"taskId\":1}")
                .json()
                .get("error")
                .stringValue())
        .isEqualTo("Invalid JSON");
  }

  @Test
  void heartbeatWithMetricsRecordsThemWithOneActiveTask() {
    String id = claimedTask("proc-1");

    client()
        .post(
            "/api/internal/heartbeat",
            "{\"taskId\":\"" + id + "\",\"processor_id\":\"proc-1\",\"cpu_usage\":35.5}");

    JsonNode row = client().get("/api/internal/metrics").json().get("processors").get(0);
    assertThat(row.get("processor_id").stringValue()).isEqualTo("proc-1");
    assertThat(row.get("cpu_usage").asDouble()).isEqualTo(35.5);
    assertThat(row.get("memory_usage").asDouble()).isZero();
    assertThat(row.get("active_tasks").asInt()).isEqualTo(1);
  }

  // ---- processor-heartbeat ----

  @Test
  void processorHeartbeatCountsActiveTasksAndKeepsOmittedMetrics() {
    manager.server().submitMany("t", 3);
    client().claimIds("proc-1", 3);

    Reply first =
        client()
            .post(
                "/api/internal/processor-heartbeat",
                "{\"processor_id\":\"proc-1\",\"cpu_usage\":20,\"memory_usage\":30,\"queue_size\":4}");
    Reply second =
        client()
            .post(
                "/api/internal/processor-heartbeat",
                "{\"processor_id\":\"proc-1\",\"cpu_usage\":50}");

    assertThat(first.body()).isEqualTo("{\"success\":true}\n");
    assertThat(second.status()).isEqualTo(200);
    JsonNode row = client().get("/api/internal/metrics").json().get("processors").get(0);
    assertThat(ManagerClient.keysOf(row))
        .containsExactly(
            "active_tasks",
            "avg_processing_time",
            "cpu_usage",
            "last_updated",
            "memory_usage",
            "processor_id",
            "queue_size");
    assertThat(row.get("active_tasks").asInt()).isEqualTo(3);
    assertThat(row.get("cpu_usage").asDouble()).isEqualTo(50);
    assertThat(row.get("memory_usage").asDouble()).isEqualTo(30);
    assertThat(row.get("queue_size").asInt()).isEqualTo(4);
    assertThat(row.get("last_updated").asLong()).isEqualTo(clock.millis());
  }

  @Test
  void processorHeartbeatWithoutProcessorIdIs400() {
    Reply reply = client().post("/api/internal/processor-heartbeat", "{\"cpu_usage\":1}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").stringValue()).isEqualTo("processor_id is required");
  }

  // ---- complete ----

  @Test
  void completeWritesStatusResultAndTimeAndKeepsTheOwner() {
    String id = claimedTask("proc-1");
    clock.advance(Duration.ofSeconds(3));

    Reply reply =
        client()
            .post(
                "/api/internal/complete",
                "{\"taskId\":\"" + id + "\",\"status\":\"completed\",\"result\":\"blurb\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"success\":true}\n");
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(task.result()).isEqualTo("blurb");
    assertThat(task.errorMessage()).isNull();
    assertThat(task.completedAt()).isEqualTo(clock.millis());
    assertThat(task.processorId()).isEqualTo("proc-1");
  }

  @Test
  void completeChecksNeitherOwnerNorStateAndTheLastCallerWins() {
    String id = claimedTask("proc-1");
    client()
        .post(
            "/api/internal/complete",
            "{\"taskId\":\"" + id + "\",\"status\":\"completed\",\"result\":\"first\"}");

    Reply again =
        client()
            .post(
                "/api/internal/complete",
                "{\"taskId\":\""
                    + id
                    + "\",\"status\":\"failed\",\"error_message\":\"boom\",\"processor_id\":\"other\"}");

    assertThat(again.status()).isEqualTo(200);
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.result()).isNull();
    assertThat(task.errorMessage()).isEqualTo("boom");
    assertThat(task.processorId()).isEqualTo("proc-1");
  }

  @Test
  void completeOfAnUnknownTaskIs404() {
    Reply reply =
        client().post("/api/internal/complete", "{\"taskId\":\"nope\",\"status\":\"completed\"}");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEqualTo("{\"error\":\"Task not found or not updated\"}\n");
  }

  @Test
  void completeValidatesTaskIdThenStatus() {
    assertThat(
            client()
                .post("/api/internal/complete", "{\"status\":\"completed\"}")
                .json()
                .get("error")
                .stringValue())
        .isEqualTo("taskId is required");
    assertThat(
            client()
                .post("/api/internal/complete", "{\"taskId\":\"x\",\"status\":\"done\"}")
                .json()
                .get("error")
                .stringValue())
        .isEqualTo("status must be 'completed' or 'failed'");
  }

  @Test
  void everyCompleteCallIsRecordedWithTheProcessorAndTheAnswer() {
    String id = claimedTask("proc-1");

    client()
        .post(
            "/api/internal/complete",
            "{\"taskId\":\"" + id + "\",\"status\":\"completed\",\"processor_id\":\"proc-1\"}");
    client().post("/api/internal/complete", "{\"taskId\":\"" + id + "\",\"status\":\"bad\"}");

    assertThat(manager.server().completeCallsFor(id))
        .extracting(CompleteCall::processorId, CompleteCall::status, CompleteCall::responseStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("proc-1", "completed", 200),
            org.assertj.core.groups.Tuple.tuple(null, "bad", 400));
    assertThat(manager.server().completeCallsFor(id).stream().filter(CompleteCall::accepted))
        .hasSize(1);
  }

  // ---- requeue ----

  @Test
  void requeueReturnsTheTaskToPendingAndCountsTheRetry() {
    String id = claimedTask("proc-1");

    Reply reply =
        client()
            .post(
                "/api/internal/requeue",
                "{\"taskId\":\"" + id + "\",\"processor_id\":\"proc-1\",\"reason\":\"busy\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"success\":true}\n");
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.retryCount()).isEqualTo(1);
    assertThat(task.errorMessage()).isEqualTo("busy");
    assertThat(task.processorId()).isNull();
    assertThat(task.heartbeatAt()).isNull();
    assertThat(task.processingStartedAt()).isNull();
    assertThat(task.timeoutAt()).isNull();
  }

  @Test
  void requeueNeverFailsATaskWhateverItsRetries() {
    String id = manager.server().submit(NewTask.of("mug").withMaxRetries(1)).getFirst();
    for (int i = 0; i < 3; i++) {
      client().claimIds("proc-1", 1);
      client().post("/api/internal/requeue", heartbeatBody(id, "proc-1"));
    }

    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.retryCount()).isEqualTo(3);
    assertThat(task.errorMessage()).isEmpty();
  }

  @Test
  void requeueByANonOwnerAnswers200AndChangesNothing() {
    String id = claimedTask("proc-1");

    Reply reply = client().post("/api/internal/requeue", heartbeatBody(id, "proc-2"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(manager.server().requireTask(id).status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(client().post("/api/internal/requeue", heartbeatBody("nope", "p")).status())
        .isEqualTo(200);
  }

  @Test
  void requeueWithoutIdsIs400() {
    Reply reply = client().post("/api/internal/requeue", "{\"processor_id\":\"p\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").stringValue())
        .isEqualTo("taskId and processor_id are required");
  }
}
