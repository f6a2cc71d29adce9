package dev.gollm.processor.intake.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.Connected;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.Heartbeat;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.StreamError;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.TaskAvailable;
import dev.gollm.processor.intake.sse.StreamEnd.Reason;
import dev.gollm.processor.sse.SseEventParser;
import dev.gollm.processor.testing.TestTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120) // a hang guard only: a regression fails instead of blocking the build
class TaskStreamClientTest {
  static final String API_KEY = "test-key-123";
  static final String CONNECTED =
      "{\"type\":\"heartbeat\",\"data\":{\"message\":\"Connected\"},\"timestamp\":1}";
  static final String TASK =
      "{\"type\":\"task_available\",\"data\":{\"ollamaParams\":null,\"priority\":2,"
          + "\"productData\":\"mug\",\"taskId\":\"t-1\"},\"timestamp\":2}";
  static final String TIMEOUT_EXCEEDED =
      "{\"type\":\"error\",\"data\":{\"error\":\"Connection timeout exceeded\","
          + "\"maxDuration\":60000,\"processorId\":\"proc-1\"},\"timestamp\":3}";

  private final HttpTransport http = TestTransport.create();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final List<ManagerStreamEvent> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch connected = new CountDownLatch(1);
  private final TaskStreamClient.Listener listener =
      new TaskStreamClient.Listener() {
        @Override
        public void onConnected() {
          connected.countDown();
        }

        @Override
        public void onEvent(ManagerStreamEvent event) {
          events.add(event);
        }
      };
  private RawSseServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    http.close();
    scheduler.shutdownNow();
  }

  @Test
  void parsesOddButValidFramingOverHttp() throws Exception {
    server =
        RawSseServer.start(
            c ->
                c.open()
                    .send(": welcome\r\n")
                    .send("event: message\r\nid: 1\r\nretry: 1000\r\n")
                    .send("data: " + CONNECTED + "\r\n\r\n")
                    .send("data: " + TASK.substring(0, 25))
                    .send(TASK.substring(25) + "\r")
                    .send("\n\r\n")
                    .send(":keepalive\n")
                    .send("data: {\"type\":\"heartbeat\",\n")
                    .send("data: \"data\":{\"uptime\":15000}}\n\n")
                    .send("data: " + TIMEOUT_EXCEEDED + "\r\r"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.SERVER_ENDED);
    assertThat(end.connected()).isTrue();
    assertThat(end.events()).isEqualTo(4);
    assertThat(events)
        .containsExactly(
            new Connected(),
            new TaskAvailable("t-1", 2, "mug", null),
            new Heartbeat(Duration.ofSeconds(15)),
            new StreamError("Connection timeout exceeded", Duration.ofMinutes(1)));
  }

  @Test
  void sendsTheBearerKeyAndTheStreamParameters() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n"));

    client(settings(server.baseUri())).stream(listener);

    RawSseServer.Request request = server.requests().getFirst();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.authorization()).isEqualTo("Bearer " + API_KEY);
    assertThat(request.accept()).isEqualTo("text/event-stream");
    assertThat(request.uri().getPath()).isEqualTo("/api/internal/task-stream");
    assertThat(request.uri().getRawQuery())
        .isEqualTo("processor_id=proc%201&heartbeat=15000&maxDuration=3600000");
  }

  @Test
  void endOfStreamEndsWithEof() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.EOF);
    assertThat(end.connected()).isTrue();
    assertThat(events).containsExactly(new Connected());
  }

  @Test
  void anUndecodableEventIsSkippedAndTheStreamGoesOn() throws Exception {
    server =
        RawSseServer.start(
            c -> c.open().send("data: {not json\n\n").send("data: " + CONNECTED + "\n\n"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.EOF);
    assertThat(end.events()).isEqualTo(2);
    assertThat(events).containsExactly(new Connected());
  }

  @Test
  void aSilentStreamIsClosedByTheWatchdog() throws Exception {
    server = RawSseServer.start(c -> c.open().hold());
    SseSettings settings = settings(server.baseUri(), Duration.ofMillis(100), Duration.ofHours(1));

    StreamEnd end = client(settings).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.SILENT);
    assertThat(end.connected()).isTrue();
    assertThat(end.events()).isZero();
  }

  @Test
  void aStreamIsClosedAheadOfItsMaxDuration() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n").hold());
    SseSettings settings = settings(server.baseUri(), Duration.ofHours(1), Duration.ofMillis(200));

    StreamEnd end = client(settings).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(end.connected()).isTrue();
  }

  @Test
  void closeFromAnotherThreadEndsTheReadPromptly() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + CONNECTED + "\n\n").hold());
    TaskStreamClient client =
        client(settings(server.baseUri(), Duration.ofHours(1), Duration.ofHours(2)));
    CompletableFuture<StreamEnd> end = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> end.complete(client.stream(listener)));
    assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();

    client.close();

    assertThat(end.get(30, TimeUnit.SECONDS).reason()).isEqualTo(Reason.CLOSED);
    assertThat(client.stream(listener).reason()).isEqualTo(Reason.CLOSED);
  }

  @Test
  void unauthorizedIsItsOwnOutcome() throws Exception {
    server =
        RawSseServer.start(
            c -> c.respond(401, "application/json", "{\"error\": \"Invalid or missing API key\"}"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(end.status()).isEqualTo(401);
    assertThat(end.connected()).isFalse();
    assertThat(end.detail()).doesNotContain(API_KEY);
  }

  @Test
  void anotherStatusIsAnHttpErrorWithThatStatus() throws Exception {
    server = RawSseServer.start(c -> c.respond(503, "text/plain", "busy"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.HTTP_ERROR);
    assertThat(end.status()).isEqualTo(503);
    assertThat(end.connected()).isFalse();
  }

  @Test
  void aJsonAnswerFromTheCatchAllRouteIsNotAnEventStream() throws Exception {
    server =
        RawSseServer.start(
            c -> c.respond(200, "application/json", "{\"message\":\"LLM Proxy API v1.0\"}"));

    StreamEnd end = client(settings(server.baseUri())).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.NOT_EVENT_STREAM);
    assertThat(end.detail()).contains("application/json");
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() throws Exception {
    StreamEnd end = client(settings(URI.create("http://127.0.0.1:" + freePort()))).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.CONNECT_FAILED);
    assertThat(end.connected()).isFalse();
  }

  @Test
  void aServerThatNeverAnswersIsAConnectFailureAfterTheConnectTimeout() throws Exception {
    server = RawSseServer.start(RawSseServer.Connection::hold);
    SseSettings base = settings(server.baseUri());
    SseSettings impatient =
        new SseSettings(
            base.managerBase(),
            base.endpoint(),
            base.processorId(),
            base.apiKey(),
            base.heartbeatInterval(),
            base.heartbeatTimeout(),
            base.maxDuration(),
            base.reconnectInterval(),
            base.maxReconnectDelay(),
            base.maxReconnectAttempts(),
            base.maxLineBytes(),
            Duration.ofMillis(200));

    StreamEnd end = client(impatient).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.CONNECT_FAILED);
    assertThat(end.detail()).contains("no response headers from");
  }

  @Test
  void aLineOverTheBoundBreaksTheStream() throws Exception {
    server = RawSseServer.start(c -> c.open().send("data: " + "x".repeat(2000) + "\n\n"));
    SseSettings base = settings(server.baseUri());
    SseSettings small =
        new SseSettings(
            base.managerBase(),
            base.endpoint(),
            base.processorId(),
            base.apiKey(),
            base.heartbeatInterval(),
            base.heartbeatTimeout(),
            base.maxDuration(),
            base.reconnectInterval(),
            base.maxReconnectDelay(),
            base.maxReconnectAttempts(),
            1024,
            base.connectTimeout());

    StreamEnd end = client(small).stream(listener);

    assertThat(end.reason()).isEqualTo(Reason.BROKEN);
    assertThat(end.detail()).contains("longer than 1024 bytes");
  }

  private TaskStreamClient client(SseSettings settings) {
    return new TaskStreamClient(
        settings, http, scheduler, new ManagerEventDecoder(), Clock.systemUTC());
  }

  static SseSettings settings(URI base) {
    return settings(base, Duration.ofSeconds(30), Duration.ofHours(1));
  }

  static SseSettings settings(URI base, Duration heartbeatTimeout, Duration maxDuration) {
    return new SseSettings(
        base,
        "/api/internal/task-stream",
        "proc 1",
        API_KEY,
        Duration.ofSeconds(15),
        heartbeatTimeout,
        maxDuration,
        Duration.ofMillis(20),
        Duration.ofMillis(100),
        3,
        SseEventParser.DEFAULT_MAX_LINE_BYTES,
        Duration.ofSeconds(5));
  }

  /** A port nothing listens on: bound by the OS, then released. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
