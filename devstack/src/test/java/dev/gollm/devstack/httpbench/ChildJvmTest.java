package dev.gollm.devstack.httpbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.OllamaSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One child JVM end to end, with a few requests and no idle phase. */
class ChildJvmTest {
  /** The processor's JVM flags, from its source (the jar is packaged after devstack's tests). */
  private static final Path JVM_OPTIONS = Path.of("../processor/src/main/jvm/processor.jvmopts");

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static ManagerServer manager;
  private static OllamaSimulator ollama;

  @BeforeAll
  static void startTheServers() {
    manager = ManagerServer.start(ManagerOptions.builder().recordCompleteCalls(false).build());
    ollama =
        new OllamaSimulator(
                OllamaSimulator.Options.builder()
                    .slots(2)
                    .models(List.of(HttpClientsCommand.MODEL))
                    .build())
            .start();
  }

  @AfterAll
  static void stopTheServers() {
    ollama.close();
    manager.close();
  }

  @Test
  void aChildJvmReportsEveryFigureOfItsClient() throws Exception {
    ClientRun run = new ChildJvm(JVM_OPTIONS, TIMEOUT).run(settings(manager.apiKey()), List.of());

    assertThat(run.figure(Figures.Phase.CHAT_CONCURRENT.key(Figures.P50))).isPositive();
    assertThat(run.figure(Figures.START_TO_FIRST_ANSWER)).isPositive();
    assertThat(run.figure(Figures.CLASSES)).isGreaterThan(1000);
    assertThat(run.figure(Figures.IDLE_CPU)).isNaN();
    assertThat(ollama.requests()).hasSizeGreaterThanOrEqualTo(1 + 4 + 20 + 20);
  }

  @Test
  void aRejectedRequestFailsTheRunWithTheServersAnswer() {
    assertThatThrownBy(
            () -> new ChildJvm(JVM_OPTIONS, TIMEOUT).run(settings("wrong-key"), List.of()))
        .isInstanceOf(HttpBenchException.class)
        .hasMessageStartingWith("JDK HttpClient: IOException: http://")
        .hasMessageContaining("/api/internal/claim: HTTP 401 (expected 200)")
        .hasMessageContaining("exit status 1");
  }

  private static RunSettings settings(String apiKey) {
    return new RunSettings(
        ClientKind.JDK,
        manager.baseUri(),
        apiKey,
        URI.create(ollama.baseUrl()),
        HttpClientsCommand.MODEL.name(),
        20,
        4,
        2,
        Duration.ZERO,
        ClientRunner.nowMicros());
  }
}
