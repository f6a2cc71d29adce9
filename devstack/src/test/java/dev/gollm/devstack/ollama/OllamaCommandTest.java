package dev.gollm.devstack.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OllamaCommandTest {
  @Test
  void flagsBecomeSimulatorOptions() {
    OllamaCommand cmd = new OllamaCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--port",
            "11435",
            "--slots",
            "2",
            "--queue",
            "8",
            "--tokens",
            "20",
            "--tps",
            "100",
            "--ttft",
            "7",
            "--load-ms",
            "30",
            "--models",
            "gemma2:1b,phi3",
            "--keep-alive",
            "30s");

    OllamaSimulator.Options o = cmd.options();

    assertThat(o.port()).isEqualTo(11435);
    assertThat(o.slots()).isEqualTo(2);
    assertThat(o.queue()).isEqualTo(8);
    assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.models())
        .containsExactly(
            new ModelProfile(
                "gemma2:1b",
                Duration.ofMillis(30),
                Duration.ofMillis(7),
                100,
                AnswerLength.fixed(20)),
            new ModelProfile(
                "phi3:latest",
                Duration.ofMillis(30),
                Duration.ofMillis(7),
                100,
                AnswerLength.fixed(20)));
  }

  @Test
  void defaultsServeTheDefaultModelsOnOllamasPort() {
    OllamaCommand cmd = new OllamaCommand();
    new CommandLine(cmd).parseArgs();

    OllamaSimulator.Options o = cmd.options();

    assertThat(o.port()).isEqualTo(11434);
    assertThat(o.slots()).isEqualTo(1);
    assertThat(o.queue()).isEqualTo(512);
    assertThat(o.models())
        .extracting(ModelProfile::name)
        .containsExactly("gemma2:1b", "gemma3:1b", "llama3.2:latest");
  }
}
