package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** devstack's extension POST /api/internal/submit. */
class SubmitEndpointTest {
  @RegisterExtension final ManagerExtension manager = new ManagerExtension();

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private static List<String> ids(Reply reply) {
    List<String> ids = new ArrayList<>();
    for (JsonNode id : reply.json().get("task_ids")) {
      ids.add(id.stringValue());
    }
    return ids;
  }

  @Test
  void oneTaskObjectCreatesAPendingTaskWithDefaults() {
    Reply reply = client().post("/api/internal/submit", "{\"product_data\":\"mug\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.keys()).containsExactly("success", "task_ids");
    TaskRecord task = manager.server().requireTask(ids(reply).getFirst());
    assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.productData()).isEqualTo("mug");
    assertThat(task.priority()).isZero();
    assertThat(task.maxRetries()).isEqualTo(3);
    assertThat(task.userId()).isEqualTo("devstack");
    assertThat(task.ollamaParams()).isNull();
    assertThat(task.estimatedDuration()).isNull();
  }

  @Test
  void anArrayCreatesEveryTaskInOrder() {
    Reply reply =
        client()
            .post(
                "/api/internal/submit",
                "[{\"product_data\":\"a\",\"priority\":2,\"user_id\":\"shop-1\",\"max_retries\":5},"
                    + "{\"product_data\":\"b\"}]");

    List<String> ids = ids(reply);
    assertThat(ids).hasSize(2);
    TaskRecord first = manager.server().requireTask(ids.get(0));
    assertThat(first.productData()).isEqualTo("a");
    assertThat(first.priority()).isEqualTo(2);
    assertThat(first.userId()).isEqualTo("shop-1");
    assertThat(first.maxRetries()).isEqualTo(5);
    assertThat(manager.server().requireTask(ids.get(1)).productData()).isEqualTo("b");
  }

  @Test
  void ollamaParamsKeepOnlyTheManagersKeysInItsOrder() {
    Reply reply =
        client()
            .post(
                "/api/internal/submit",
                "{\"product_data\":\"a\",\"ollama_params\":{\"num_ctx\":4096,\"stop\":[\"\\n\"],"
                    + "\"temperature\":0.3,\"model\":\"gemma3:1b\",\"max_tokens\":200}}");

    assertThat(manager.server().requireTask(ids(reply).getFirst()).ollamaParams())
        .isEqualTo(
            "{\"model\":\"gemma3:1b\",\"temperature\":0.3,\"max_tokens\":200,\"stop\":[\"\\n\"]}");
  }

  @Test
  void ollamaParamsMayComeAsAJsonString() {
    Reply reply =
        client()
            .post(
                "/api/internal/submit",
                "{\"product_data\":\"a\",\"ollama_params\":\"{\\\"model\\\":\\\"m\\\",\\\"x\\\":1}\"}");

    assertThat(manager.server().requireTask(ids(reply).getFirst()).ollamaParams())
        .isEqualTo("{\"model\":\"m\"}");
  }

  @Test
  void badTasksAreRejectedWithWhereAndWhat() {
    assertThat(client().post("/api/internal/submit", "{}").json().get("error").stringValue())
        .isEqualTo("product_data is required (a non-empty string)");
    Reply second =
        client().post("/api/internal/submit", "[{\"product_data\":\"a\"},{\"priority\":\"high\"}]");
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.json().get("error").stringValue())
        .isEqualTo("tasks[1]: field priority must be an integer, got the string \"high\"");
    assertThat(
            client()
                .post("/api/internal/submit", "{\"product_data\":\"a\",\"ollama_params\":\"nope\"}")
                .json()
                .get("error")
                .stringValue())
        .startsWith("ollama_params: the body is not valid JSON");
    assertThat(client().post("/api/internal/submit", "[]").status()).isEqualTo(400);
    assertThat(client().post("/api/internal/submit", "not json").json().get("error").stringValue())
        .isEqualTo("Invalid JSON");
    assertThat(manager.server().allTasks()).isEmpty();
  }

  @Test
  void submitNeedsPost() {
    assertThat(client().get("/api/internal/submit").status()).isEqualTo(405);
  }
}
