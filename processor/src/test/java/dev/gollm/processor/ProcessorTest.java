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
class ProcessorTest {
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
    Processor app = new Processor(config, Clock.systemUTC());
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
    try (Processor running = new Processor(first, Clock.systemUTC())) {
      running.start();
      ProcessorConfig second =
          ConfigLoader.fromEnvironment(Map.of("HEALTH_ADDR", "127.0.0.1:" + running.healthPort()));
      try (Processor clashing = new Processor(second, Clock.systemUTC())) {
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

    assertThat(Processor.readinessWindow(config)).isEqualTo(Duration.ofMinutes(3));
  }

  private static ProcessorConfig withManager(String workerUrl, String key) throws Exception {
    return key == null
        ? ConfigLoader.fromEnvironment(Map.of("WORKER_URL", workerUrl))
        : ConfigLoader.fromEnvironment(Map.of("WORKER_URL", workerUrl, "INTERNAL_API_KEY", key));
  }

  @Test
  void theDefaultKeyTowardsAnotherMachineIsWarnedAbout() throws Exception {
    assertThat(Processor.defaultKeyWarning(withManager("http://wrangler:8080", null)))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("INTERNAL_API_KEY")
                    .contains("wrangler")
                    .contains("default"));
    assertThat(Processor.defaultKeyWarning(withManager("http://10.0.0.7:8080", null))).isPresent();
    assertThat(Processor.defaultKeyWarning(withManager("http://localhost.example.com:8080", null)))
        .isPresent();
  }

  @Test
  void theDefaultKeyOnThisMachineOrAKeyOfOnesOwnIsNotWarnedAbout() throws Exception {
    for (String local :
        new String[] {
          "http://localhost:8080",
          "http://LOCALHOST:8080",
          "http://manager.localhost:8080",
          "http://127.0.0.1:8080",
          "http://127.1.2.3:8080",
          "http://[::1]:8080"
        }) {
      assertThat(Processor.defaultKeyWarning(withManager(local, null))).as(local).isEmpty();
    }
    assertThat(
            Processor.defaultKeyWarning(withManager("http://wrangler:8080", "s3cr3t-of-our-own")))
        .isEmpty();
  }

  @Test
  void theWarningIsLoggedAtStartAndNeverShowsTheKey() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Processor.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    ProcessorConfig config =
        ConfigLoader.fromEnvironment(
            Map.of(
                "HEALTH_ADDR", "127.0.0.1:0",
                "WORKER_URL", "http://wrangler:8080",
                "POLLING_ENABLED", "false",
                "SSE_ENABLED", "false"));
    try (Processor app = new Processor(config, Clock.systemUTC())) {
      app.start();
    } finally {
      logger.detachAppender(appender);
    }

    assertThat(appender.list)
        .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("INTERNAL_API_KEY is the default development key"))
        .noneSatisfy(m -> assertThat(m).contains(ProcessorConfig.DEFAULT_INTERNAL_API_KEY));
  }
}
