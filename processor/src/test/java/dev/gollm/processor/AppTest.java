package dev.gollm.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.config.ConfigLoader;
import dev.gollm.processor.config.ProcessorConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wired processor: starts its health server on HEALTH_ADDR and stops it on close. */
class AppTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void closeClient() {
    client.close();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthWhileRunningAndStopsOnClose() throws Exception {
    ProcessorConfig config =
        ConfigLoader.fromEnvironment(
            Map.of("HEALTH_ADDR", "127.0.0.1:0", "PROCESSOR_ID", "proc-app-test"));
    App app = new App(config, Clock.systemUTC());
    int port;
    try {
      app.start();
      port = app.healthPort();

      assertThat(get(port, "/health").body()).contains("\"processor_id\":\"proc-app-test\"");
      assertThat(get(port, "/ready").statusCode()).isEqualTo(503);
    } finally {
      app.close();
    }

    assertThatThrownBy(() -> get(port, "/health")).isInstanceOf(ConnectException.class);
  }

  @Test
  void aTakenPortFailsTheStartNamingHealthAddr() throws Exception {
    ProcessorConfig first = ConfigLoader.fromEnvironment(Map.of("HEALTH_ADDR", "127.0.0.1:0"));
    try (App running = new App(first, Clock.systemUTC())) {
      running.start();
      ProcessorConfig second =
          ConfigLoader.fromEnvironment(Map.of("HEALTH_ADDR", "127.0.0.1:" + running.healthPort()));
      try (App clashing = new App(second, Clock.systemUTC())) {
        assertThatThrownBy(clashing::start)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("HEALTH_ADDR 127.0.0.1:" + running.healthPort());
      }
    }
  }

  @Test
  void readinessWindowCoversThreeOfTheLongerInterval() throws Exception {
    ProcessorConfig config =
        ConfigLoader.fromEnvironment(Map.of("HEARTBEAT_INTERVAL", "15s", "POLL_INTERVAL", "1m"));

    assertThat(App.readinessWindow(config)).isEqualTo(Duration.ofMinutes(3));
  }
}
