package dev.gollm.devstack.original;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stranding processor takes tasks from the stream the way the original Go processor does. */
@Timeout(60)
class StrandingProcessorTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String NAME = "original-1";

  private final ManagerServer manager =
      ManagerServer.start(ManagerOptions.builder().relaxSseClamps(true).build());
  private final OllamaSimulator ollama = new OllamaSimulator().start();
  private final List<StrandingProcessor> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(StrandingProcessor::close);
    ollama.close();
    manager.close();
  }

  private StrandingProcessor start(UnaryOperator<StrandingOptions.Builder> adjust) {
    StrandingOptions.Builder options =
        StrandingOptions.builder(manager.baseUri(), manager.apiKey(), URI.create(ollama.baseUrl()))
            .processorId(NAME)
            .reconnectDelay(Duration.ofMillis(50));
    StrandingProcessor processor = StrandingProcessor.start(adjust.apply(options).build());
    started.add(processor);
    return processor;
  }

  private StrandingProcessor startConnected(UnaryOperator<StrandingOptions.Builder> adjust) {
    StrandingProcessor processor = start(adjust);
    await().atMost(PATIENCE).until(() -> manager.sseConnectionCount() == 1);
    return processor;
  }

  /** Five priority-9 tasks nobody hears of, then one announced task they come before. */
  private String announceBehindFiveSilentTasks() {
    List<NewTask> silent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      silent.add(NewTask.of("silent-" + i).withPriority(9));
    }
    manager.store().insert(silent);
    return manager.submit("announced");
  }

  private List<RequestRecord> generationsOf(String productData) {
    return ollama.requests().stream()
        .filter(r -> r.outcome() == RequestRecord.Outcome.DONE)
        .filter(r -> productData.equals(r.user()))
        .toList();
  }

  @Test
  void aReplayOfTenPendingTasksGetsItFiftyTasksOfWhichItWorksOnlyOnTheTenAnnounced() {
    List<String> ids = manager.submitMany("backlog", 60);

    StrandingProcessor processor = start(o -> o);

    await().atMost(PATIENCE).until(() -> processor.stats().completed() == 10);
    StrandingStats stats = processor.stats();
    assertThat(stats.announced()).isEqualTo(10);
    assertThat(stats.claimed()).isEqualTo(50);
    assertThat(stats.stranded()).isEqualTo(40);
    assertThat(stats.generated()).isEqualTo(10);
    assertThat(manager.count(TaskStatus.COMPLETED)).isEqualTo(10);
    assertThat(manager.count(TaskStatus.PROCESSING)).isEqualTo(40);
    assertThat(manager.count(TaskStatus.PENDING)).isEqualTo(10);
    assertThat(ids.subList(0, 10))
        .allSatisfy(
            id -> assertThat(manager.requireTask(id).status()).isEqualTo(TaskStatus.COMPLETED));
    assertThat(processor.strandedIds())
        .hasSize(40)
        .allSatisfy(
            id -> {
              TaskRecord task = manager.requireTask(id);
              assertThat(task.status()).isEqualTo(TaskStatus.PROCESSING);
              assertThat(task.processorId()).isEqualTo(NAME);
              assertThat(task.heartbeatAt()).isEqualTo(task.processingStartedAt());
            });
    assertThat(generationsOf("backlog-0")).hasSize(1);
  }

  @Test
  void everyReconnectReplaysThePendingTasksAndStrandsMore() {
    manager.submitMany("backlog", 70);
    StrandingProcessor processor = start(o -> o);
    await().atMost(PATIENCE).until(() -> processor.stats().completed() == 10);

    manager.dropSseConnections();

    await().atMost(PATIENCE).until(() -> processor.stats().completed() == 20);
    StrandingStats stats = processor.stats();
    assertThat(stats.streamsOpened()).isEqualTo(2);
    assertThat(stats.announced()).isEqualTo(20);
    assertThat(stats.claimed()).isEqualTo(70);
    assertThat(stats.stranded()).isEqualTo(50);
  }

  @Test
  void anAnnouncedTaskTheClaimDidNotReturnIsLeftAloneAndTheBatchIsStranded() {
    StrandingProcessor processor = startConnected(o -> o);

    String announced = announceBehindFiveSilentTasks();

    await().atMost(PATIENCE).until(() -> processor.stats().announced() == 1);
    StrandingStats stats = processor.stats();
    assertThat(stats.claimed()).isEqualTo(5);
    assertThat(stats.stranded()).isEqualTo(5);
    assertThat(stats.skippedUnowned()).isEqualTo(1);
    assertThat(manager.requireTask(announced).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(manager.count(TaskStatus.PROCESSING)).isEqualTo(5);
  }

  @Test
  void withCompleteUnownedItGeneratesAndCompletesAnAnnouncedTaskItNeverOwned() {
    StrandingProcessor processor = startConnected(o -> o.completeUnowned(true));

    String announced = announceBehindFiveSilentTasks();

    await().atMost(PATIENCE).until(() -> processor.stats().completed() == 1);
    StrandingStats stats = processor.stats();
    assertThat(stats.completedUnowned()).isEqualTo(1);
    assertThat(stats.stranded()).isEqualTo(5);
    assertThat(stats.lostOnHeartbeat()).isEqualTo(1);
    TaskRecord task = manager.requireTask(announced);
    assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(task.processorId()).isNull();
    assertThat(generationsOf("announced")).hasSize(1);
  }

  @Test
  void aTaskStolenWhileItIsGeneratedIsDroppedOnTheHeartbeat404WithoutCompleting() {
    String id = stealWhileGenerating(o -> o);
    StrandingProcessor processor = started.getFirst();

    await().atMost(PATIENCE).until(() -> processor.stats().working() == 0);
    StrandingStats stats = processor.stats();
    assertThat(stats.generated()).isEqualTo(1);
    assertThat(stats.completed()).isZero();
    assertThat(manager.completeCallsFor(id)).isEmpty();
    assertThat(manager.requireTask(id).status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(manager.requireTask(id).processorId()).isEqualTo("thief");
  }

  @Test
  void withCompleteUnownedATaskStolenWhileItIsGeneratedIsCompletedAnyway() {
    String id = stealWhileGenerating(o -> o.completeUnowned(true));
    StrandingProcessor processor = started.getFirst();

    await().atMost(PATIENCE).until(() -> processor.stats().completed() == 1);
    assertThat(processor.stats().completedUnowned()).isEqualTo(1);
    assertThat(manager.requireTask(id).status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(manager.completeCallsFor(id)).hasSize(1);
  }

  /**
   * Starts the processor on one announced task, holds its generation at the simulator, steals the
   * task meanwhile, waits for the processor's heartbeat to see the 404, then lets the generation
   * finish. Returns the task's id.
   */
  private String stealWhileGenerating(UnaryOperator<StrandingOptions.Builder> adjust) {
    ollama.faults().hang(PATIENCE);
    StrandingProcessor processor =
        startConnected(o -> adjust.apply(o).heartbeatInterval(Duration.ofMillis(50)));
    String id = manager.submit("stolen while generating");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                ollama.requests().stream()
                    .anyMatch(r -> r.outcome() == RequestRecord.Outcome.RUNNING));
    // The processor heartbeats every 50 ms; a steal needs a heartbeat older than now.
    await()
        .atMost(PATIENCE)
        .until(() -> !manager.store().steal("thief", 1, 300_000, 0, 0).isEmpty());
    assertThat(manager.requireTask(id).processorId()).isEqualTo("thief");
    await().atMost(PATIENCE).until(() -> processor.stats().lostOnHeartbeat() == 1);
    ollama.faults().liftHang();
    return id;
  }
}
