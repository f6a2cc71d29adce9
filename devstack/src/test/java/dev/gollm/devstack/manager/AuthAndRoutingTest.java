package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication, the catch-all route and method rules: contract sections 1, 2 and 4.11. */
class AuthAndRoutingTest {
  private static final String UNAUTHORIZED = "{\"error\": \"Invalid or missing API key\"}";

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().apiKey("secret").build());

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  @Test
  void everyInternalEndpointWithoutAKeyIs401WithTheExactBody() {
    for (Endpoint endpoint : Endpoint.values()) {
      Reply reply = client().send(endpoint.method(), endpoint.path(), "{}", false);
      assertThat(reply.status()).as(endpoint.path()).isEqualTo(401);
      assertThat(reply.body()).as(endpoint.path()).isEqualTo(UNAUTHORIZED);
      assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(reply.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void wrongKeyOtherSchemeAndQueryTokenAre401() {
    String body = "{\"processor_id\":\"p\"}";
    assertThat(client().send("POST", "/api/internal/claim", body, "Bearer wrong").status())
        .isEqualTo(401);
    assertThat(client().send("POST", "/api/internal/claim", body, "bearer secret").status())
        .isEqualTo(401);
    assertThat(client().send("POST", "/api/internal/claim", body, "Bearer  secret").status())
        .isEqualTo(401);
    assertThat(client().send("POST", "/api/internal/claim", body, "Basic secret").status())
        .isEqualTo(401);
    assertThat(
            client()
                .send("GET", "/api/internal/task-stream?processor_id=p&token=secret", null, false)
                .status())
        .isEqualTo(401);
    assertThat(client().send("POST", "/api/internal/claim", body, "Bearer secret").status())
        .isEqualTo(200);
  }

  @Test
  void optionsPreflightWithoutAKeyIs401() {
    Reply reply = client().send("OPTIONS", "/api/internal/claim", null, false);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body()).isEqualTo(UNAUTHORIZED);
  }

  @Test
  void unknownPathsAnswer200WithTheHealthJsonWithoutAKey() {
    for (String path :
        new String[] {"/", "/api/internal/release", "/api/internal/claim/", "/nope"}) {
      Reply reply = client().send("POST", path, "{\"taskId\":\"x\"}", false);
      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.keys()).as(path).containsExactly("endpoints", "message", "status");
      assertThat(reply.json().get("message").stringValue()).isEqualTo("LLM Proxy API v1.0");
      assertThat(reply.json().get("status").stringValue()).isEqualTo("ok");
    }
  }

  @Test
  void releaseDoesNotExistAndChangesNothing() {
    String id = manager.server().submit("mug");
    client().claimIds("p", 1);

    Reply reply =
        client()
            .post("/api/internal/release", "{\"taskId\":\"" + id + "\",\"processor_id\":\"p\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().has("success")).isFalse();
    assertThat(manager.server().requireTask(id).status()).isEqualTo(TaskStatus.PROCESSING);
  }

  @Test
  void endpointsWithoutAMethodCheckAcceptAnyMethod() {
    manager.server().submit("mug");

    Reply reply = client().send("PUT", "/api/internal/claim", "{\"processor_id\":\"p\"}", true);
    Reply tasks = client().send("DELETE", "/api/internal/tasks", null, true);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("claimed_count").asInt()).isEqualTo(1);
    assertThat(tasks.status()).isEqualTo(200);
  }

  @Test
  void methodCheckedEndpointsAnswer405AfterAuthentication() {
    assertThat(client().send("GET", "/api/internal/work-steal", null, false).status())
        .isEqualTo(401);
    Reply stream = client().send("POST", "/api/internal/task-stream?processor_id=p", "", true);
    assertThat(stream.status()).isEqualTo(405);
    assertThat(stream.body()).isEqualTo("{\"error\":\"Method not allowed. Use GET for SSE.\"}\n");
  }

  @Test
  void htmlCharactersAreEscapedLikeGo() {
    manager.server().submit("a <b> & c");

    Reply reply = client().get("/api/internal/tasks");

    assertThat(reply.body()).contains("a \\u003cb\\u003e \\u0026 c");
    assertThat(reply.json().get("tasks").get(0).get("product_data").stringValue())
        .isEqualTo("a <b> & c");
  }
}
