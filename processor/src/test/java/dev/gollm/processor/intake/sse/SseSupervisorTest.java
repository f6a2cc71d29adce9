package dev.gollm.processor.intake.sse;

import static dev.gollm.processor.intake.sse.TaskStreamClientTest.CONNECTED;
import static dev.gollm.processor.intake.sse.TaskStreamClientTest.TASK;
import static dev.gollm.processor.intake.sse.TaskStreamClientTest.TIMEOUT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.StreamError;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.TaskAvailable;
import dev.gollm.processor.sse.SseEventParser;
import dev.gollm.processor.testing.TestTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120) // a hang guard only: a regression fails instead of blocking the build
class SseSupervisorTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final Recorder recorder = new Recorder();
  private final HttpTransport http = TestTransport.create();
  private final ScheduledThreadPoolExecutor watchdogs = new ScheduledThreadPoolExecutor(1);
  private RawSseServer server;
  private SseSupervisor supervisor;

  @AfterEach
  void tearDown() {
    if (supervisor != null) {
      supervisor.close();
    }
    if (server != null) {
      server.close();
    }
    http.close();
    watchdogs.shutdownNow();
  }

  @Test
  void reconnectsWhenTheStreamFallsSilent() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n").hold());
    // Many allowed failures: on a loaded machine a connection may fall silent before its first
    // event arrives, which counts as a failure; push must not be reported lost here.
    supervisor = start(server.baseUri(), Duration.ofMillis(200), 1000);

    await().atMost(PATIENCE).until(() -> server.connections() >= 3);

    assertThat(recorder.signals()).containsExactly("up");
    assertThat(supervisor.isPushUp()).isTrue();
  }

  @Test
  void reconnectsAfterTheManagersTimeoutEventAndKeepsDeliveringTasks() throws Exception {
    server =
        RawSseServer.start(
            c ->
                c.open()
                    .send("data: " + CONNECTED + "\n\n")
                    .send("data: " + TASK + "\n\n")
                    .send("data: " + TIMEOUT_EXCEEDED + "\n\n")
                    .hold()); // the manager keeps the stream open after its error event
    supervisor = start(server.baseUri(), Duration.ofMinutes(1), 3);

    await().atMost(PATIENCE).until(() -> server.connections() >= 3);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                recorder.events(TaskAvailable.class) >= 2
                    && recorder.events(StreamError.class) >= 2);

    assertThat(recorder.signals()).containsExactly("up");
  }

  @Test
  void fallsBackAfterTheConfiguredRefusalsAndReturnsToPushWhenTheServerComesBack()
      throws Exception {
    int port = TaskStreamClientTest.freePort();
    supervisor = start(URI.create("http://127.0.0.1:" + port), Duration.ofMinutes(1), 3);

    await().atMost(PATIENCE).until(() -> recorder.signals().contains("down"));
    assertThat(recorder.signals()).containsExactly("down");
    assertThat(supervisor.isPushUp()).isFalse();

    server =
        RawSseServer.startOn(
            port,
            c ->
                c.open().send("data: " + CONNECTED + "\n\n").send("data: " + TASK + "\n\n").hold());

    await().atMost(PATIENCE).until(() -> recorder.events(TaskAvailable.class) >= 1);
    assertThat(recorder.signals()).containsExactly("down", "up");
    assertThat(supervisor.isPushUp()).isTrue();
  }

  @Test
  void unauthorizedCountsTowardsFallback() throws Exception {
    server =
        RawSseServer.start(
            c -> c.respond(401, "application/json", "{\"error\": \"Invalid or missing API key\"}"));
    supervisor = start(server.baseUri(), Duration.ofMinutes(1), 2);

    await().atMost(PATIENCE).until(() -> recorder.signals().contains("down"));

    assertThat(server.connections()).isGreaterThanOrEqualTo(2);
    assertThat(recorder.signals()).containsExactly("down");
  }

  @Test
  void closeStopsTheLoopWhileItWaitsToReconnect() throws Exception {
    int port = TaskStreamClientTest.freePort();
    SseSettings slow =
        settings(
            URI.create("http://127.0.0.1:" + port), Duration.ofMinutes(1), 1, Duration.ofHours(1));
    supervisor =
        new SseSupervisor(
            slow, recorder, http, watchdogs, new SplittableRandom(1), Clock.systemUTC());
    supervisor.start();
    await().atMost(PATIENCE).until(() -> recorder.signals().contains("down"));

    supervisor.close(); // the loop now waits up to an hour before its next attempt

    assertThat(supervisor.isStopped()).isTrue();
  }

  @Test
  void closeEndsAnOpenStream() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n").hold());
    supervisor = start(server.baseUri(), Duration.ofMinutes(1), 3);
    await().atMost(PATIENCE).until(supervisor::isPushUp);

    supervisor.close();

    assertThat(supervisor.isStopped()).isTrue();
    assertThat(server.connections()).isEqualTo(1);
  }

  private SseSupervisor start(URI base, Duration heartbeatTimeout, int maxAttempts) {
    SseSupervisor s =
        new SseSupervisor(
            settings(base, heartbeatTimeout, maxAttempts, Duration.ofMillis(20)),
            recorder,
            http,
            watchdogs,
            new SplittableRandom(42),
            Clock.systemUTC());
    s.start();
    return s;
  }

  private static SseSettings settings(
      URI base, Duration heartbeatTimeout, int maxAttempts, Duration reconnectInterval) {
    return new SseSettings(
        base,
        "/api/internal/task-stream",
        "proc-1",
        TaskStreamClientTest.API_KEY,
        Duration.ofSeconds(15),
        heartbeatTimeout,
        Duration.ofHours(1),
        reconnectInterval,
        reconnectInterval.multipliedBy(5),
        maxAttempts,
        SseEventParser.DEFAULT_MAX_LINE_BYTES,
        Duration.ofSeconds(5));
  }

  /** Records what the supervisor reports. */
  private static final class Recorder implements SseSupervisor.Listener {
    private final List<ManagerStreamEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> signals = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ManagerStreamEvent event) {
      events.add(event);
    }

    @Override
    public void onPushUp() {
      signals.add("up");
    }

    @Override
    public void onPushDown() {
      signals.add("down");
    }

    List<String> signals() {
      return List.copyOf(signals);
    }

    long events(Class<? extends ManagerStreamEvent> type) {
      return events.stream().filter(type::isInstance).count();
    }
  }
}
