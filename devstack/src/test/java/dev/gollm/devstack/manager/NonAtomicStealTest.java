package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The real manager's steal is two statements, a select and an unconditional update (contract 4.6);
 * the split-steal switch reproduces that and widens the window between them.
 */
class NonAtomicStealTest {
  private static final Duration LONG_WINDOW = Duration.ofMinutes(1);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final TestClock clock = new TestClock();

  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().clock(clock).build());

  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopBackground() {
    background.shutdownNow();
  }

  private ManagerClient client() {
    return new ManagerClient(manager.server());
  }

  private Faults faults() {
    return manager.server().faults();
  }

  /**
   * Six tasks of priorities 0 to 5 claimed by "hoarder" and left without heartbeats past the steal
   * threshold; a steal takes the highest priority first. Returns them by priority, highest first.
   */
  private List<String> strandSix() {
    List<NewTask> tasks = new ArrayList<>();
    for (int priority = 5; priority >= 0; priority--) {
      tasks.add(NewTask.of("t" + priority).withPriority(priority));
    }
    List<String> ids = manager.server().submit(tasks);
    assertThat(client().claimIds("hoarder", 6)).containsExactlyElementsOf(ids);
    clock.advance(Duration.ofSeconds(61));
    return ids;
  }

  private CompletableFuture<Reply> stealOneAsync(String processor) {
    return CompletableFuture.supplyAsync(
        () ->
            client()
                .post(
                    "/api/internal/work-steal",
                    "{\"processor_id\":\"" + processor + "\",\"max_steal_count\":1}"),
        background);
  }

  private static List<String> stolenIds(Reply reply) {
    List<String> ids = new ArrayList<>();
    for (JsonNode task : reply.json().get("stolen_tasks")) {
      ids.add(task.get("id").stringValue());
    }
    return ids;
  }

  private int heartbeatStatus(String taskId, String processor) {
    return client()
        .post(
            "/api/internal/heartbeat",
            "{\"taskId\":\"" + taskId + "\",\"processor_id\":\"" + processor + "\"}")
        .status();
  }

  @Test
  void twoStealsInOneWindowAreBothHandedTheSameTaskAndTheLaterUpdateOwnsIt() throws Exception {
    strandSix();
    faults().splitSteals(LONG_WINDOW);

    CompletableFuture<Reply> first = stealOneAsync("thief-a");
    CompletableFuture<Reply> second = stealOneAsync("thief-b");
    await().atMost(PATIENCE).until(() -> faults().stealsInWindow() == 2);
    faults().atomicSteals();

    List<String> a = stolenIds(first.get(20, TimeUnit.SECONDS));
    List<String> b = stolenIds(second.get(20, TimeUnit.SECONDS));
    assertThat(a).hasSize(1).isEqualTo(b);
    String id = a.getFirst();
    String owner = manager.server().requireTask(id).processorId();
    assertThat(owner).isIn("thief-a", "thief-b");
    String loser = owner.equals("thief-a") ? "thief-b" : "thief-a";
    assertThat(heartbeatStatus(id, owner)).isEqualTo(200);
    assertThat(heartbeatStatus(id, loser)).isEqualTo(404);
  }

  @Test
  void theUpdateHasNoConditionSoATaskCompletedInTheWindowIsStillHandedOut() throws Exception {
    String id = strandSix().getFirst();
    faults().splitSteals(LONG_WINDOW);
    CompletableFuture<Reply> steal = stealOneAsync("thief");
    await().atMost(PATIENCE).until(() -> faults().stealsInWindow() == 1);
    manager.server().store().complete(id, TaskStatus.COMPLETED, "done by hoarder", null);

    faults().atomicSteals();

    assertThat(stolenIds(steal.get(20, TimeUnit.SECONDS))).containsExactly(id);
    TaskRecord task = manager.server().requireTask(id);
    assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(task.processorId()).isEqualTo("thief");
    assertThat(heartbeatStatus(id, "thief")).isEqualTo(404);
  }

  @Test
  void aSplitStealWithoutPauseTakesTasksLikeTheAtomicOne() {
    List<String> held = strandSix();
    faults().splitSteals(Duration.ZERO);

    Reply reply = client().post("/api/internal/work-steal", "{\"processor_id\":\"thief\"}");

    assertThat(stolenIds(reply)).hasSize(2).allSatisfy(id -> assertThat(held).contains(id));
    assertThat(faults().stealsInWindow()).isZero();
  }

  @Test
  void atomicStealsNeverHandOneTaskToTwoStealers() throws Exception {
    manager.server().submitMany("t", 40);
    client().claimIds("hoarder", 20);
    client().claimIds("hoarder", 20);
    clock.advance(Duration.ofSeconds(61));

    List<CompletableFuture<Reply>> steals = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      steals.add(stealOneAsync("thief-" + i));
    }

    List<String> stolen = new ArrayList<>();
    for (CompletableFuture<Reply> steal : steals) {
      stolen.addAll(stolenIds(steal.get(20, TimeUnit.SECONDS)));
    }
    assertThat(stolen).hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void closingTheServerReleasesStealsInTheirWindowWithoutAnAnswer() {
    strandSix();
    faults().splitSteals(LONG_WINDOW);
    CompletableFuture<Reply> steal = stealOneAsync("thief");
    await().atMost(PATIENCE).until(() -> faults().stealsInWindow() == 1);

    manager.server().close();

    await().atMost(PATIENCE).until(steal::isDone);
    assertThat(steal).isCompletedExceptionally();
  }

  @Test
  void theAdminEndpointSplitsShowsAndRestoresTheSteal() {
    Reply initial = client().send("GET", "/_admin/steal", null, false);
    Reply split = client().send("PUT", "/_admin/steal", "{\"pause_ms\":250}", false);

    assertThat(initial.body()).isEqualTo("{\"atomic\":true,\"in_window\":0,\"pause_ms\":null}\n");
    assertThat(split.body()).isEqualTo("{\"atomic\":false,\"in_window\":0,\"pause_ms\":250}\n");
    assertThat(faults().stealPause()).contains(Duration.ofMillis(250));

    Reply restored = client().send("DELETE", "/_admin/steal", null, false);

    assertThat(restored.json().get("atomic").asBoolean()).isTrue();
    assertThat(faults().stealPause()).isEmpty();
  }

  @Test
  void clearingEveryFaultMakesTheStealAtomicAgain() {
    faults().splitSteals(Duration.ofMillis(100));

    client().send("DELETE", "/_admin/faults", null, false);

    assertThat(faults().stealPause()).isEqualTo(Optional.empty());
  }

  @Test
  void theAdminEndpointRejectsBadPausesWithAClearMessage() {
    Reply missing = client().send("PUT", "/_admin/steal", "{}", false);
    Reply negative = client().send("PUT", "/_admin/steal", "{\"pause_ms\":-1}", false);
    Reply unknown = client().send("PUT", "/_admin/steal", "{\"pause\":5}", false);
    Reply method = client().send("POST", "/_admin/steal", "{}", false);

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error").stringValue()).contains("pause_ms");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.json().get("error").stringValue()).contains("0 or more");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("error").stringValue()).contains("unknown key 'pause'");
    assertThat(method.status()).isEqualTo(405);
    assertThat(faults().stealPause()).isEmpty();
  }
}
