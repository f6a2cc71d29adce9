package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.testing.TestTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the loader believes Ollama holds, on a clock the test moves. */
class ModelLoaderTest {
  private static final String MODEL = "gemma2:1b";

  private Instant now = Instant.parse("2025-07-10T10:00:00Z");
  private final HttpTransport http = TestTransport.create();

  private ModelLoader loader(Duration keepAlive) {
    Reachability reachability = new Reachability(Clock.systemUTC(), Duration.ofMinutes(1));
    OllamaSettings settings =
        new OllamaSettings(
            MODEL,
            Duration.ofSeconds(30),
            false,
            Duration.ofSeconds(20),
            Duration.ofMinutes(30),
            Duration.ofMinutes(5),
            keepAlive,
            NumCtx.SERVER);
    InstantSource clock = () -> now;
    return new ModelLoader(
        http,
        URI.create("http://127.0.0.1:9"),
        settings,
        clock,
        reachability.ollama(),
        new ModelReadiness(MODEL, reachability.ollama()));
  }

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void aModelUsedIsBelievedResidentForNineTenthsOfTheKeepAlive() {
    ModelLoader loader = loader(Duration.ofMinutes(30));
    loader.used(MODEL, 0);

    now = now.plus(Duration.ofMinutes(26));
    assertThat(loader.isResident(MODEL, 0)).isTrue();
    now = now.plus(Duration.ofMinutes(1));
    assertThat(loader.isResident(MODEL, 0)).isFalse();
  }

  @Test
  void anotherContextWindowIsNotResident() {
    ModelLoader loader = loader(Duration.ofMinutes(30));
    loader.used(MODEL, 4096);

    assertThat(loader.isResident(MODEL, 8192)).isFalse();
    assertThat(loader.isResident("gemma2:1b", 4096)).isTrue();
  }

  @Test
  void aNegativeKeepAliveMeansResidentForEver() {
    ModelLoader loader = loader(Duration.ofSeconds(-1));
    loader.used(MODEL, 0);

    now = now.plus(Duration.ofDays(3650));
    assertThat(loader.isResident(MODEL, 0)).isTrue();
    assertThat(loader.keepAliveValue()).isEqualTo("-1s");
  }

  @Test
  void aForgottenModelIsNoLongerBelievedResident() {
    ModelLoader loader = loader(Duration.ofMinutes(30));
    loader.used(MODEL, 0);

    loader.forget(MODEL);

    assertThat(loader.isResident(MODEL, 0)).isFalse();
  }

  @Test
  void theKeepAliveIsSentAsAGoDuration() {
    assertThat(loader(Duration.ofMinutes(30)).keepAliveValue()).isEqualTo("30m");
  }
}
