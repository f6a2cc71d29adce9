package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<InetSocketAddress> clientConnections = ConcurrentHashMap.newKeySet();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpTransport transport;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/small", this::small);
    server.createContext("/endless", this::endless);
    server.createContext("/silent", this::silent);
    server.createContext("/one-line-then-silent", this::oneLineThenSilent);
    server.start();
    transport = transport(false);
  }

  @AfterEach
  void stop() {
    release.countDown();
    transport.close();
    server.stop(0);
    executor.close();
  }

  private static HttpTransport transport(boolean tls) {
    return HttpTransport.create(
        new HttpTransport.Settings(Duration.ofSeconds(5), tls, "processor-test", 8));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void seen(HttpExchange exchange) throws IOException {
    clientConnections.add(exchange.getRemoteAddress());
    requests.add(
        Map.of(
            "method", exchange.getRequestMethod(),
            "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
            "content-type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
            "body", new String(exchange.getRequestBody().readAllBytes(), UTF_8)));
  }

  private void small(HttpExchange exchange) throws IOException {
    seen(exchange);
    byte[] body = "{\"ok\":true}".getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Retry-After", "7");
    exchange.sendResponseHeaders(201, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Writes until the client goes away. */
  private void endless(HttpExchange exchange) throws IOException {
    seen(exchange);
    exchange.sendResponseHeaders(200, 0);
    byte[] kilobyte = new byte[1024];
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        out.write(kilobyte);
      }
    } catch (IOException e) {
      // the client dropped the connection: the point of the test
    }
  }

  private void silent(HttpExchange exchange) throws IOException {
    seen(exchange);
    awaitRelease();
    exchange.close();
  }

  private void oneLineThenSilent(HttpExchange exchange) throws IOException {
    seen(exchange);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write("line\n".getBytes(UTF_8));
    out.flush();
    awaitRelease();
    exchange.close();
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theWrittenHookRunsOnTheSendingThreadAfterTheRequestIsWrittenBeforeTheAnswer()
      throws Exception {
    AtomicReference<Thread> hookThread = new AtomicReference<>();
    AtomicReference<Integer> requestsSeenByHook = new AtomicReference<>();
    try (HttpTransport hooked =
        HttpTransport.create(
            new HttpTransport.Settings(Duration.ofSeconds(5), false, "processor-test", 8),
            () -> {
              hookThread.set(Thread.currentThread());
              await().atMost(PATIENCE).until(() -> requests.size() == 1); // the server has it
              requestsSeenByHook.set(requests.size());
            })) {
      HttpAnswer answer =
          hooked.exchange(
              HttpCall.postJson(uri("/small"), "{}".getBytes(UTF_8), Duration.ofSeconds(5)), 1024);

      assertThat(answer.status()).isEqualTo(201);
    }
    assertThat(hookThread.get()).isSameAs(Thread.currentThread());
    assertThat(requestsSeenByHook.get()).isEqualTo(1);
  }

  @Test
  void aSmallAnswerArrivesWithStatusHeadersAndBody() throws Exception {
    HttpCall call =
        HttpCall.postJson(uri("/small"), "{\"a\":1}".getBytes(UTF_8), Duration.ofSeconds(5))
            .withHeader("Authorization", "Bearer key");

    HttpAnswer answer = transport.exchange(call, 1024);

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.text()).isEqualTo("{\"ok\":true}");
    assertThat(answer.truncated()).isFalse();
    assertThat(answer.header("retry-after")).contains("7");
    assertThat(answer.header("Content-Type")).contains("application/json");
    assertThat(requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("method")).isEqualTo("POST");
              assertThat(r.get("authorization")).isEqualTo("Bearer key");
              assertThat(r.get("content-type")).isEqualTo("application/json");
              assertThat(r.get("body")).isEqualTo("{\"a\":1}");
            });
  }

  @Test
  void anAnswerPastTheBoundIsCutThereAndMarkedTruncated() throws Exception {
    HttpAnswer answer = transport.exchange(HttpCall.get(uri("/endless"), PATIENCE), 10_000);

    assertThat(answer.truncated()).isTrue();
    assertThat(answer.body()).hasSize(10_000);
  }

  @Test
  void aRefusedConnectionIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpCall call = HttpCall.get(URI.create("http://127.0.0.1:" + closedPort + "/"), PATIENCE);

    assertThatThrownBy(() -> transport.exchange(call, 1024))
        .isInstanceOf(HttpFailure.Unreachable.class)
        .hasMessageContaining("GET http://127.0.0.1:" + closedPort);
  }

  @Test
  void aServerSilentPastTheCallsTimeoutIsTimedOut() {
    HttpCall call = HttpCall.get(uri("/silent"), Duration.ofMillis(200));

    assertThatThrownBy(() -> transport.exchange(call, 1024))
        .isInstanceOf(HttpFailure.TimedOut.class);
  }

  @Test
  void aStreamSilentPastTheCallsTimeoutFailsTheReadAsTimedOut() throws Exception {
    try (HttpStream stream =
        transport.stream(HttpCall.get(uri("/one-line-then-silent"), Duration.ofMillis(200)))) {
      stream.send();
      InputStream body = stream.body();
      assertThat(body.readNBytes(5)).isEqualTo("line\n".getBytes(UTF_8));

      assertThatThrownBy(body::read).isInstanceOf(HttpFailure.TimedOut.class);
    }
  }

  @Test
  void anAbortFromAnotherThreadEndsABlockedRead() throws Exception {
    HttpStream stream = transport.stream(HttpCall.get(uri("/one-line-then-silent"), PATIENCE));
    stream.send();
    InputStream body = stream.body();
    assertThat(body.readNBytes(5)).isEqualTo("line\n".getBytes(UTF_8));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    body.read();
                  } catch (IOException e) {
                    failure.set(e);
                  }
                });
    // Parked in the socket read (timed: the call has a read timeout).
    await().atMost(PATIENCE).until(() -> reader.getState() == Thread.State.TIMED_WAITING);

    stream.abort();

    await().atMost(PATIENCE).until(() -> failure.get() != null);
    assertThat(failure.get()).isInstanceOf(HttpFailure.Aborted.class);
    stream.close();
  }

  @Test
  void anAbortWhileWaitingForTheHeadersEndsTheSend() throws Exception {
    HttpStream stream = transport.stream(HttpCall.get(uri("/silent"), PATIENCE));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread sender =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    stream.send();
                  } catch (IOException e) {
                    failure.set(e);
                  }
                });
    await().atMost(PATIENCE).until(() -> requests.size() == 1);

    stream.abort();

    sender.join(PATIENCE);
    assertThat(failure.get()).isInstanceOf(HttpFailure.Aborted.class);
  }

  @Test
  void anAbortBeforeTheSendFailsItAtOnce() {
    HttpStream stream = transport.stream(HttpCall.get(uri("/small"), PATIENCE));
    stream.abort();

    assertThatThrownBy(stream::send).isInstanceOf(HttpFailure.Aborted.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void aConnectionReadToItsEndServesTheNextCall() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (HttpStream stream = transport.stream(HttpCall.get(uri("/small"), PATIENCE))) {
        stream.send();
        stream.body().readAllBytes();
      }
    }
    transport.exchange(HttpCall.get(uri("/small"), PATIENCE), 1024);

    assertThat(requests).hasSize(4);
    assertThat(clientConnections).hasSize(1);
  }

  @Test
  void anAbortAfterTheStreamEndedLeavesItsPooledConnectionToTheNextCall() throws Exception {
    HttpStream stream = transport.stream(HttpCall.get(uri("/small"), PATIENCE));
    stream.send();
    stream.body().readAllBytes();
    stream.close();

    stream.abort(); // a deadline timer firing just after the answer

    HttpAnswer next = transport.exchange(HttpCall.get(uri("/small"), PATIENCE), 1024);
    assertThat(next.status()).isEqualTo(201);
    assertThat(clientConnections).hasSize(1);
  }

  @Test
  void aStreamSaysWhetherItsBodyWasReadToTheEnd() throws Exception {
    try (HttpStream stream = transport.stream(HttpCall.get(uri("/small"), PATIENCE))) {
      stream.send();
      assertThat(stream.readToTheEnd()).as("nothing read yet").isFalse();
      stream.body().readNBytes(5);
      assertThat(stream.readToTheEnd()).as("part read").isFalse();
      stream.body().readAllBytes();
      assertThat(stream.readToTheEnd()).isTrue();
    }
  }

  @Test
  void aStreamClosedBeforeItsEndDropsItsConnection() throws Exception {
    try (HttpStream stream = transport.stream(HttpCall.get(uri("/endless"), PATIENCE))) {
      stream.send();
      stream.body().readNBytes(100);
    }
    transport.exchange(HttpCall.get(uri("/small"), PATIENCE), 1024);

    assertThat(clientConnections).hasSize(2);
  }

  @Test
  void aTransportForHttpOnlyRefusesHttps() {
    HttpCall call =
        HttpCall.get(URI.create("https://127.0.0.1:" + server.getAddress().getPort()), PATIENCE);

    assertThatThrownBy(() -> transport.exchange(call, 1024))
        .isInstanceOf(HttpFailure.class)
        .hasMessageContaining("not configured");
  }

  @Test
  void aCallsTextNamesItsHeadersButNotTheirValues() {
    HttpCall call = HttpCall.get(uri("/small"), PATIENCE).withHeader("Authorization", "Bearer s3");

    assertThat(call.toString()).contains("Authorization").doesNotContain("s3");
  }
}
