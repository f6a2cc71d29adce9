package dev.gollm.processor.intake.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.sse.SseEventParser;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SseSettingsTest {

  @Test
  void streamUriJoinsBaseAndEndpointAndCarriesTheParametersInMilliseconds() {
    SseSettings settings = settings("http://wrangler:8080/", "api/internal/task-stream", "key");

    assertThat(settings.streamUri())
        .isEqualTo(
            URI.create(
                "http://wrangler:8080/api/internal/task-stream"
                    + "?processor_id=proc%2F1&heartbeat=15000&maxDuration=3600000"));
  }

  @Test
  void clientLeavesAFewSecondsBeforeTheServersMaxDuration() {
    assertThat(withMaxDuration(Duration.ofHours(1)).clientMaxDuration())
        .isEqualTo(Duration.ofSeconds(3595));
    assertThat(withMaxDuration(Duration.ofSeconds(60)).clientMaxDuration())
        .isEqualTo(Duration.ofSeconds(55));
    assertThat(withMaxDuration(Duration.ofMillis(200)).clientMaxDuration())
        .isEqualTo(Duration.ofMillis(180));
  }

  @Test
  void toStringNeverShowsTheApiKey() {
    assertThat(settings("http://m:8080", "/s", "s3cr3t-key").toString())
        .doesNotContain("s3cr3t-key")
        .contains("apiKey=****");
  }

  @Test
  void rejectsANonHttpBase() {
    assertThatThrownBy(() -> settings("ftp://m", "/s", "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("managerBase: expected an absolute http(s) URI")
        .hasMessageContaining("ftp://m");
  }

  @Test
  void rejectsAKeyWithAControlCharacterWithoutQuotingIt() {
    assertThatThrownBy(() -> settings("http://m", "/s", "Zq9\nXw7"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey")
        .message()
        .doesNotContain("Zq9");
  }

  @Test
  void rejectsABackoffCapBelowTheReconnectInterval() {
    assertThatThrownBy(
            () ->
                new SseSettings(
                    URI.create("http://m"),
                    "/s",
                    "p",
                    "k",
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(60),
                    Duration.ofHours(1),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    10,
                    1024,
                    Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReconnectDelay: expected at least reconnectInterval");
  }

  private static SseSettings withMaxDuration(Duration maxDuration) {
    return new SseSettings(
        URI.create("http://m"),
        "/s",
        "p",
        "k",
        Duration.ofSeconds(15),
        Duration.ofSeconds(60),
        maxDuration,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        10,
        1024,
        Duration.ofSeconds(10));
  }

  private static SseSettings settings(String base, String endpoint, String key) {
    return new SseSettings(
        URI.create(base),
        endpoint,
        "proc/1",
        key,
        Duration.ofSeconds(15),
        Duration.ofSeconds(60),
        Duration.ofHours(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        10,
        SseEventParser.DEFAULT_MAX_LINE_BYTES,
        Duration.ofSeconds(10));
  }
}
