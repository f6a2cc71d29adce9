package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** POST /api/internal/claim, contract section 4.1. */
class ClaimEndpointTest {
  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).build());

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  @Test
  void claimAnswersCountSuccessAndTasksInAlphabeticalOrder() {
    manager.server().submit("mug");

    Reply reply = client().post("/api/internal/claim", "{\"processor_id\":\"proc-1\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(reply.body()).endsWith("}\n").doesNotContain("\n{").doesNotContain(" ");
    assertThat(reply.keys()).containsExactly("claimed_count", "success", "tasks");
    assertThat(reply.json().get("claimed_count").asInt()).isEqualTo(1);
    assertThat(reply.json().get("success").asBoolean()).isTrue();
  }

  @Test
  void claimedTaskCarriesTheLeaseInStructOrder() {
    String id =
        manager
            .server()
            .submit(NewTask.of("mug").withPriority(2).withOllamaParams("{\"model\":\"gemma3:1b\"}"))
            .getFirst();

    JsonNode task =
        client()
            .post("/api/internal/claim", "{\"processor_id\":\"proc-1\",\"timeout_ms\":5000}")
            .json()
            .get("tasks")
            .get(0);

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
            "processing_started_at",
            "heartbeat_at",
            "timeout_at",
            "ollama_params");
    long now = clock.millis();
    assertThat(task.get("id").stringValue()).isEqualTo(id);
    assertThat(task.get("status").stringValue()).isEqualTo("processing");
    assertThat(task.get("processor_id").stringValue()).isEqualTo("proc-1");
    assertThat(task.get("heartbeat_at").asLong()).isEqualTo(now);
    assertThat(task.get("processing_started_at").asLong()).isEqualTo(now);
    assertThat(task.get("timeout_at").asLong()).isEqualTo(now + 5000);
    assertThat(task.get("priority").asInt()).isEqualTo(2);
    assertThat(task.get("max_retries").asInt()).isEqualTo(3);
    assertThat(task.get("ollama_params").stringValue()).isEqualTo("{\"model\":\"gemma3:1b\"}");
    TaskRecord stored = manager.server().requireTask(id);
    assertThat(stored.status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(stored.processorId()).isEqualTo("proc-1");
  }

  @Test
  void claimReportsRetryCountZeroButKeepsTheLastRequeueReason() {
    String id = manager.server().submit("mug");
    client().claimIds("proc-1", 1);
    client()
        .post(
            "/api/internal/requeue",
            "{\"taskId\":\"" + id + "\",\"processor_id\":\"proc-1\",\"reason\":\"ollama down\"}");

    JsonNode task =
        client()
            .post("/api/internal/claim", "{\"processor_id\":\"proc-2\"}")
            .json()
            .get("tasks")
            .get(0);

    assertThat(task.get("retry_count").asInt()).isZero();
    assertThat(task.get("error_message").stringValue()).isEqualTo("ollama down");
    assertThat(ManagerClient.keysOf(task))
        .containsSubsequence("status", "error_message", "created_at");
    assertThat(manager.server().requireTask(id).retryCount()).isEqualTo(1);
  }

  @Test
  void claimServesHigherPriorityFirstThenOlder() {
    String old = manager.server().submit("old");
    clock.advance(java.time.Duration.ofSeconds(1));
    String urgent = manager.server().submit(NewTask.of("urgent").withPriority(5)).getFirst();
    clock.advance(java.time.Duration.ofSeconds(1));
    String young = manager.server().submit("young");

    assertThat(client().claimIds("proc-1", 3)).containsExactly(urgent, old, young);
  }

  @Test
  void batchSizeOutsideOneToTwentyIsReplacedByFive() {
    manager.server().submitMany("t", 30);

    assertThat(client().claimIds("proc-1", 50)).hasSize(5);
    assertThat(client().claimIds("proc-2", 0)).hasSize(5);
    assertThat(client().claimIds("proc-3", 20)).hasSize(20);
  }

  @Test
  void missingBatchSizeClaimsFive() {
    manager.server().submitMany("t", 8);

    Reply reply = client().post("/api/internal/claim", "{\"processor_id\":\"proc-1\"}");

    assertThat(reply.json().get("claimed_count").asInt()).isEqualTo(5);
  }

  @Test
  void taskIdIsIgnoredAndTheBatchIsClaimedByPriority() {
    String first = manager.server().submit("first");
    String second = manager.server().submit("second");

    Reply reply =
        client()
            .post(
                "/api/internal/claim",
                "{\"processor_id\":\"proc-1\",\"taskId\":\"" + second + "\",\"batch_size\":1}");

    assertThat(reply.json().get("tasks").get(0).get("id").stringValue()).isEqualTo(first);
  }

  @Test
  void nothingPendingAnswersAnEmptyArray() {
    Reply reply = client().post("/api/internal/claim", "{\"processor_id\":\"proc-1\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"claimed_count\":0,\"success\":true,\"tasks\":[]}\n");
  }

  @Test
  void aClaimedTaskIsNotClaimedAgain() {
    manager.server().submitMany("t", 3);

    List<String> first = client().claimIds("proc-1", 2);
    List<String> second = client().claimIds("proc-2", 5);

    assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
  }

  @Test
  void missingProcessorIdIs400() {
    Reply reply = client().post("/api/internal/claim", "{\"batch_size\":1}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).isEqualTo("{\"error\":\"processor_id is required\"}\n");
  }

  @Test
  void wrongTypeEmptyBodyAndMalformedJsonAreInvalidJson() {
    for (String body :
        new String[] {
          "{\"processor_id\":\"p\",\"batch_size\":\"5\"}",
          "{\"processor_id\":\"p\",\"batch_size\":5.0}",
          "",
          "{\"processor_id\":",
          "[1]"
        }) {
      Reply reply = client().post("/api/internal/claim", body);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.json().get("error").stringValue()).as(body).isEqualTo("Invalid JSON");
    }
  }

  @Test
  void keysMatchCaseInsensitivelyAndUnknownKeysAreIgnored() {
    manager.server().submitMany("t", 3);

    Reply reply =
        client().post("/api/internal/claim", "{\"Processor_ID\":\"p\",\"BATCH_SIZE\":2,\"x\":[]}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("claimed_count").asInt()).isEqualTo(2);
  }

  @Test
  void fairClaimAdjustsTheBatchByLoadAndReportsIt() {
    manager.server().submitMany("t", 10);

    Reply reply =
        client()
            .post(
                "/api/internal/claim",
                "{\"processor_id\":\"p\",\"batch_size\":10,\"use_fair_distribution\":true,"
                    + "\"processor_load\":1}");

    assertThat(reply.keys())
        .containsExactly("claimed_count", "fair_distribution_info", "success", "tasks");
    assertThat(reply.json().get("claimed_count").asInt()).isEqualTo(5);
    assertThat(reply.json().get("fair_distribution_info").stringValue())
        .isEqualTo("Load: 1, Adjusted batch size: 5, Claimed: 5");
  }

  @Test
  void fairClaimShowsRealRetryCountAndZeroMaxRetriesWithoutErrorMessage() {
    String id = manager.server().submit("mug");
    client().claimIds("proc-1", 1);
    client()
        .post(
            "/api/internal/requeue",
            "{\"taskId\":\"" + id + "\",\"processor_id\":\"proc-1\",\"reason\":\"r\"}");

    JsonNode task =
        client()
            .post(
                "/api/internal/claim",
                "{\"processor_id\":\"p\",\"use_fair_distribution\":true,\"processor_load\":0.2}")
            .json()
            .get("tasks")
            .get(0);

    assertThat(task.get("retry_count").asInt()).isEqualTo(1);
    assertThat(task.get("max_retries").asInt()).isZero();
    assertThat(task.has("error_message")).isFalse();
  }
}
