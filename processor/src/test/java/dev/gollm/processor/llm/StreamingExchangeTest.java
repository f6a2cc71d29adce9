package dev.gollm.processor.llm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.testing.TestTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingExchangeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final HttpTransport http = TestTransport.create();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch hanging = new CountDownLatch(1);
  private final Set<InetSocketAddress> clientConnections = ConcurrentHashMap.newKeySet();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/answer", e -> answer(e, false));
    server.createContext("/answer-then-hang", e -> answer(e, true));
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    http.close();
    server.stop(0);
    executor.close();
    timers.shutdownNow();
  }

  /** One line of answer, flushed; then the body's end, or silence until the test ends. */
  private void answer(HttpExchange exchange, boolean hang) throws IOException {
    clientConnections.add(exchange.getRemoteAddress());
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write("done\n".getBytes(UTF_8));
    out.flush();
    if (hang) {
      hanging.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exchange.close();
  }

  private Generation run(String path, Duration total, CancelSignal cancel, boolean readOn) {
    return StreamingExchange.run(
        http,
        timers,
        total,
        PATIENCE,
        HttpCall.postJson(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
            "{}".getBytes(UTF_8),
            total),
        cancel,
        (response, exchange) -> {
          BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), UTF_8));
          String line = lines.readLine();
          exchange.dataArrived();
          if (readOn) {
            lines.readLine(); // blocks: the server says no more
          }
          return new Generation(line, "stop", 1, Duration.ZERO, 1, Duration.ZERO, null, null, null);
        },
        (cause, streaming) ->
            new LlmException.Retryable(Failure.UNREACHABLE, "transport: " + cause, cause));
  }

  @Test
  void theConnectionServesTheNextGenerationOnceTheAnswerIsIn() {
    for (int i = 0; i < 3; i++) {
      assertThat(run("/answer", PATIENCE, new CancelSignal(), false).text()).isEqualTo("done");
    }

    assertThat(clientConnections).hasSize(1);
  }

  @Test
  void aCancelEndsABlockedReadAsCancelled() throws Exception {
    CancelSignal cancel = new CancelSignal();
    executor.submit(
        () -> {
          hanging.await();
          cancel.cancel("lease lost");
          return null;
        });

    assertThatThrownBy(() -> run("/answer-then-hang", PATIENCE, cancel, true))
        .isInstanceOf(LlmException.Cancelled.class)
        .hasMessageContaining("lease lost");
  }

  @Test
  void theTotalDeadlineEndsABlockedReadAsARetryableTimeout() {
    assertThatThrownBy(
            () -> run("/answer-then-hang", Duration.ofMillis(300), new CancelSignal(), true))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT))
        .hasMessageContaining("no complete answer within");
  }
}
