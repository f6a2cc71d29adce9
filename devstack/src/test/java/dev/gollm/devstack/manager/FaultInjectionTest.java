package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fault injection from the Java API and over the admin endpoints. */
class FaultInjectionTest {
  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().faultSeed(42L).build());

  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopBackground() {
    background.shutdownNow();
  }

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private static final String CLAIM = "{\"processor_id\":\"p\"}";

  @Test
  void anEndpointAnswersTheInjectedStatusAndChangesNothing() {
    manager.server().submit("mug");
    manager.server().faults().set(Endpoint.CLAIM, EndpointFault.failing(503, 1.0));

    Reply claim = client().post("/api/internal/claim", CLAIM);
    Reply tasks = client().get("/api/internal/tasks");

    assertThat(claim.status()).isEqualTo(503);
    assertThat(claim.json().get("error").stringValue()).isEqualTo("injected fault (devstack)");
    assertThat(tasks.status()).isEqualTo(200);
    assertThat(manager.server().count(TaskStatus.PENDING)).isEqualTo(1);
    assertThat(manager.server().faults().injectedCount()).isEqualTo(1);
  }

  @Test
  void aRateInjectsIntoAShareOfRequests() {
    manager.server().faults().set(Endpoint.TASKS, EndpointFault.failing(500, 0.5));

    int failed = 0;
    for (int i = 0; i < 40; i++) {
      if (client().get("/api/internal/tasks").status() == 500) {
        failed++;
      }
    }

    assertThat(failed).isBetween(1, 39);
    assertThat(manager.server().faults().injectedCount()).isEqualTo(failed);
  }

  @Test
  void clearingAFaultRestoresTheEndpoint() {
    manager.server().faults().set(Endpoint.CLAIM, EndpointFault.failing(500, 1.0));
    manager.server().faults().clear(Endpoint.CLAIM);

    assertThat(client().post("/api/internal/claim", CLAIM).status()).isEqualTo(200);
  }

  @Test
  void theAllRuleAppliesToEveryEndpointWithoutItsOwn() {
    manager.server().faults().setAll(EndpointFault.failing(502, 1.0));
    manager.server().faults().set(Endpoint.TASKS, EndpointFault.delayed(Duration.ZERO));

    assertThat(client().post("/api/internal/heartbeat", "{}").status()).isEqualTo(502);
    assertThat(client().get("/api/internal/tasks").status()).isEqualTo(200);
    assertThat(client().get("/somewhere-else").status()).isEqualTo(200);
  }

  @Test
  void latencyDelaysTheAnswer() {
    manager.server().faults().set(Endpoint.TASKS, EndpointFault.delayed(Duration.ofMillis(300)));

    long start = System.nanoTime();
    Reply reply = client().get("/api/internal/tasks");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
  }

  @Test
  void aHangHoldsRequestsUntilLifted() throws Exception {
    String id = manager.server().submit("mug");
    client().claimIds("p", 1);
    manager.server().faults().set(Endpoint.HEARTBEAT, EndpointFault.hanging());

    CompletableFuture<Reply> heartbeat =
        CompletableFuture.supplyAsync(
            () ->
                client()
                    .post(
                        "/api/internal/heartbeat",
                        "{\"taskId\":\"" + id + "\",\"processor_id\":\"p\"}"),
            background);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.server().faults().hangingRequests() == 1);
    assertThat(heartbeat).isNotDone();

    manager.server().faults().clear(Endpoint.HEARTBEAT);

    assertThat(heartbeat.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void closingTheServerReleasesHungRequests() throws Exception {
    manager.server().faults().set(Endpoint.CLAIM, EndpointFault.hanging());
    ManagerClient client = client();
    CompletableFuture<Integer> claim =
        CompletableFuture.supplyAsync(
            () -> client.post("/api/internal/claim", CLAIM).status(), background);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.server().faults().hangingRequests() == 1);

    manager.server().close();

    await().atMost(Duration.ofSeconds(20)).until(claim::isDone);
    assertThat(claim).isCompletedExceptionally();
  }

  @Test
  void droppingStreamsEndsEveryOpenStream() throws Exception {
    try (RawSseStream stream = RawSseStream.open(manager.server(), "processor_id=p")) {
      stream.nextEvent();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> manager.server().sseConnectionCount() == 1);

      assertThat(manager.server().dropSseConnections()).isEqualTo(1);

      assertThat(stream.readToEnd()).isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> manager.server().sseConnectionCount() == 0);
    }
  }

  @Test
  void refusedStreamsGetTheStatusUntilAcceptedAgain() throws Exception {
    manager.server().faults().refuseSse(true);
    try (RawSseStream refused = RawSseStream.open(manager.server(), "processor_id=p")) {
      assertThat(refused.status()).isEqualTo(503);
    }

    manager.server().faults().refuseSse(false);
    try (RawSseStream accepted = RawSseStream.open(manager.server(), "processor_id=p")) {
      assertThat(accepted.status()).isEqualTo(200);
    }
  }

  // ---- over HTTP ----

  @Test
  void adminEndpointsSetShowAndClearFaultsWithoutAKey() {
    Reply set =
        client().send("PUT", "/_admin/faults/claim", "{\"status\":500,\"rate\":1.0}", false);

    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().get("endpoints").get("claim").get("status").asInt()).isEqualTo(500);
    assertThat(client().post("/api/internal/claim", CLAIM).status()).isEqualTo(500);

    Reply cleared = client().send("DELETE", "/_admin/faults/claim", null, false);

    assertThat(cleared.json().get("endpoints").isEmpty()).isTrue();
    assertThat(client().post("/api/internal/claim", CLAIM).status()).isEqualTo(200);
  }

  @Test
  void adminPutReplacesTheWholePlanAndDeleteClearsIt() {
    Reply plan =
        client()
            .send(
                "PUT",
                "/_admin/faults",
                "{\"endpoints\":{\"complete\":{\"status\":503},\"*\":{\"latency_ms\":1}},"
                    + "\"refuse_sse\":true,\"refuse_sse_status\":502}",
                false);

    assertThat(plan.status()).isEqualTo(200);
    assertThat(plan.keys())
        .containsExactly(
            "endpoints",
            "hanging_requests",
            "injected",
            "refuse_sse",
            "refuse_sse_status",
            "sse_connections");
    assertThat(manager.server().faults().rules()).containsOnlyKeys("complete", "*");
    assertThat(manager.server().faults().refusingSse()).isTrue();
    assertThat(client().post("/api/internal/complete", "{}").status()).isEqualTo(503);

    client().send("DELETE", "/_admin/faults", null, false);

    assertThat(manager.server().faults().rules()).isEmpty();
    assertThat(manager.server().faults().refusingSse()).isFalse();
  }

  @Test
  void adminSseRefusesAndDropsStreams() throws Exception {
    try (RawSseStream stream = RawSseStream.open(manager.server(), "processor_id=p")) {
      stream.nextEvent();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> manager.server().sseConnectionCount() == 1);

      Reply refuse = client().send("PUT", "/_admin/sse", "{\"refuse\":true,\"status\":502}", false);
      Reply drop = client().send("POST", "/_admin/sse/drop", "", false);

      assertThat(refuse.json().get("refuse").asBoolean()).isTrue();
      assertThat(drop.body()).isEqualTo("{\"dropped\":1}\n");
      assertThat(stream.readToEnd()).isTrue();
    }
    try (RawSseStream refused = RawSseStream.open(manager.server(), "processor_id=p")) {
      assertThat(refused.status()).isEqualTo(502);
    }
  }

  @Test
  void adminRejectsBadInputWithAClearMessage() {
    Reply unknownEndpoint =
        client().send("PUT", "/_admin/faults/release", "{\"status\":500}", false);
    Reply badStatus = client().send("PUT", "/_admin/faults/claim", "{\"status\":200}", false);
    Reply unknownKey = client().send("PUT", "/_admin/faults/claim", "{\"code\":500}", false);
    Reply badMethod = client().send("POST", "/_admin/faults", "{}", false);

    assertThat(unknownEndpoint.status()).isEqualTo(404);
    assertThat(unknownEndpoint.json().get("error").stringValue())
        .contains("unknown endpoint 'release'");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.json().get("error").stringValue()).contains("400..599");
    assertThat(unknownKey.status()).isEqualTo(400);
    assertThat(unknownKey.json().get("error").stringValue()).contains("unknown key 'code'");
    assertThat(badMethod.status()).isEqualTo(405);
    assertThat(manager.server().faults().rules()).isEmpty();
  }
}
