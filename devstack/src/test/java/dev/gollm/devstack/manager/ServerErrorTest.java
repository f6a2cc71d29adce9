package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failing database answers 500 with each endpoint's own message. */
class ServerErrorTest {
  @RegisterExtension final ManagerExtension manager = new ManagerExtension();

  @Test
  void aDatabaseFailureAnswersTheEndpointsServerErrorMessage() {
    ManagerClient client = new ManagerClient(manager.server());
    manager.server().store().close();

    assertThat(client.post("/api/internal/claim", "{\"processor_id\":\"p\"}").body())
        .isEqualTo("{\"error\":\"Failed to claim tasks\"}\n");
    assertThat(
            client
                .post("/api/internal/complete", "{\"taskId\":\"t\",\"status\":\"failed\"}")
                .status())
        .isEqualTo(500);
    assertThat(
            client
                .post("/api/internal/complete", "{\"taskId\":\"t\",\"status\":\"failed\"}")
                .body())
        .isEqualTo("{\"error\":\"Failed to complete task\"}\n");
    assertThat(client.post("/api/internal/cleanup", "").body())
        .isEqualTo("{\"error\":\"Cleanup failed\"}\n");
    assertThat(client.get("/api/internal/tasks").body())
        .isEqualTo("{\"error\":\"Failed to get tasks\"}\n");
    assertThat(client.post("/api/internal/work-steal", "{\"processor_id\":\"p\"}").status())
        .isEqualTo(500);
  }
}
