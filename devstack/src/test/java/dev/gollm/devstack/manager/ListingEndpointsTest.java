package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** tasks, all-tasks, metrics and estimated-time: contract sections 4.9 and 4.10. */
class ListingEndpointsTest {
  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).build());

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private static List<String> ids(Reply reply) {
    List<String> ids = new ArrayList<>();
    for (JsonNode task : reply.json().get("tasks")) {
      ids.add(task.get("id").stringValue());
    }
    return ids;
  }

  private String submitAt(NewTask task) {
    clock.advance(Duration.ofMillis(10));
    return manager.server().submit(task).getFirst();
  }

  @Test
  void tasksIsNullWhenNothingIsPending() {
    Reply reply = client().get("/api/internal/tasks");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"tasks\":null}\n");
  }

  @Test
  void tasksListsPendingByPriorityThenAgeAndClaimsNothing() {
    String a = submitAt(NewTask.of("a"));
    String b = submitAt(NewTask.of("b").withPriority(3));
    String c = submitAt(NewTask.of("c"));
    submitAt(NewTask.of("d").withPriority(9));
    client().claimIds("p", 1);

    Reply reply = client().get("/api/internal/tasks");

    assertThat(reply.keys()).containsExactly("tasks");
    assertThat(ids(reply)).containsExactly(b, a, c);
    assertThat(ids(client().get("/api/internal/tasks"))).containsExactly(b, a, c);
    assertThat(manager.server().count(TaskStatus.PENDING)).isEqualTo(3);
  }

  @Test
  void pendingTaskShowsRetryCountZeroAndNoLeaseFields() {
    String id =
        manager.server().submit(NewTask.of("mug").withOllamaParams("{\"seed\":7}")).getFirst();
    client().claimIds("p", 1);
    client()
        .post(
            "/api/internal/requeue",
            "{\"taskId\":\"" + id + "\",\"processor_id\":\"p\",\"reason\":\"x\"}");

    JsonNode task = client().get("/api/internal/tasks").json().get("tasks").get(0);

    assertThat(ManagerClient.keysOf(task))
        .containsExactly(
            "id",
            "user_id",
            "product_data",
            "status",
            "error_message",
            "created_at",
            "updated_at",
            "priority",
            "retry_count",
            "max_retries",
            "ollama_params");
    assertThat(task.get("status").stringValue()).isEqualTo("pending");
    assertThat(task.get("retry_count").asInt()).isZero();
  }

  @Test
  void tasksLimitOutsideOneToHundredIsTwenty() {
    manager.server().submitMany("t", 25);

    assertThat(ids(client().get("/api/internal/tasks?limit=3"))).hasSize(3);
    assertThat(ids(client().get("/api/internal/tasks?limit=500"))).hasSize(20);
    assertThat(ids(client().get("/api/internal/tasks?limit=abc"))).hasSize(20);
    assertThat(ids(client().get("/api/internal/tasks?limit=0"))).hasSize(20);
  }

  @Test
  void allTasksListsEveryStateNewestFirstWithEveryColumn() {
    String first = submitAt(NewTask.of("first"));
    String second = submitAt(NewTask.of("second"));
    client().claimIds("p", 1);
    manager.server().store().complete(first, TaskStatus.COMPLETED, "done", null);

    Reply reply = client().get("/api/internal/all-tasks");

    assertThat(ids(reply)).containsExactly(second, first);
    JsonNode done = reply.json().get("tasks").get(1);
    assertThat(ManagerClient.keysOf(done))
        .containsExactly(
            "id",
            "user_id",
            "product_data",
            "status",
            "result",
            "created_at",
            "updated_at",
            "completed_at",
            "priority",
            "retry_count",
            "max_retries",
            "processor_id",
            "processing_started_at",
            "heartbeat_at",
            "timeout_at");
    assertThat(done.get("result").stringValue()).isEqualTo("done");
  }

  @Test
  void allTasksPagesAndFiltersByUser() {
    String mine = submitAt(NewTask.of("a").withUserId("shop-1"));
    submitAt(NewTask.of("b").withUserId("shop-2"));
    String newest = submitAt(NewTask.of("c").withUserId("shop-1"));

    assertThat(ids(client().get("/api/internal/all-tasks?user_id=shop-1")))
        .containsExactly(newest, mine);
    assertThat(ids(client().get("/api/internal/all-tasks?limit=1&offset=2"))).containsExactly(mine);
    assertThat(ids(client().get("/api/internal/all-tasks?limit=5000&offset=-3"))).hasSize(3);
    assertThat(client().get("/api/internal/all-tasks?user_id=nobody").body())
        .isEqualTo("{\"tasks\":null}\n");
  }

  @Test
  void metricsListsOnlyProcessorsSeenInTheLastFiveMinutes() {
    client()
        .post(
            "/api/internal/processor-heartbeat",
            "{\"processor_id\":\"busy\",\"cpu_usage\":90,\"memory_usage\":80}");
    client()
        .post(
            "/api/internal/processor-heartbeat",
            "{\"processor_id\":\"idle\",\"cpu_usage\":5,\"memory_usage\":10}");
    clock.advance(Duration.ofMinutes(4));
    client().post("/api/internal/processor-heartbeat", "{\"processor_id\":\"later\"}");
    clock.advance(Duration.ofMinutes(2));

    Reply reply = client().get("/api/internal/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("processors", "success");
    List<String> processors = new ArrayList<>();
    reply
        .json()
        .get("processors")
        .forEach(row -> processors.add(row.get("processor_id").stringValue()));
    assertThat(processors).containsExactly("later");
  }

  @Test
  void metricsOrdersByLoad() {
    client()
        .post(
            "/api/internal/processor-heartbeat",
            "{\"processor_id\":\"busy\",\"cpu_usage\":90,\"memory_usage\":80}");
    client()
        .post(
            "/api/internal/processor-heartbeat",
            "{\"processor_id\":\"idle\",\"cpu_usage\":5,\"memory_usage\":10}");

    JsonNode rows = client().get("/api/internal/metrics").json().get("processors");

    assertThat(rows.get(0).get("processor_id").stringValue()).isEqualTo("idle");
    assertThat(rows.get(1).get("processor_id").stringValue()).isEqualTo("busy");
  }

  @Test
  void metricsAndEstimatedTimeNeedGet() {
    assertThat(client().post("/api/internal/metrics", "").status()).isEqualTo(405);
    assertThat(client().post("/api/internal/estimated-time", "").status()).isEqualTo(405);
  }

  @Test
  void estimatedTimeAnswersARussianTextWithSuccess() {
    Reply reply = client().get("/api/internal/estimated-time");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("estimated_time", "success");
    assertThat(reply.json().get("estimated_time").stringValue()).isEqualTo("< 10 секунд");
    assertThat(reply.body()).contains("\\u003c 10");
  }

  @Test
  void waitTextGrowsWithTheWait() {
    assertThat(InternalApi.waitText(5_000)).isEqualTo("< 10 секунд");
    assertThat(InternalApi.waitText(200_000)).isEqualTo("2-5 минут");
    assertThat(InternalApi.waitText(3_600_000)).isEqualTo("более 10 минут");
  }
}
