package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.ollama.OllamaSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Telling whether a real Ollama answers, and the OLLAMA_URL forms it accepts. */
class OllamaProbeTest {
  @Test
  void ollamaUrlTakesTheFormsOllamaTakes() {
    assertThat(OllamaProbe.baseUrl(null)).isEqualTo(URI.create("http://localhost:11434"));
    assertThat(OllamaProbe.baseUrl("http://gpu:11434/")).isEqualTo(URI.create("http://gpu:11434"));
    assertThat(OllamaProbe.baseUrl("gpu:8000")).isEqualTo(URI.create("http://gpu:8000"));
    assertThat(OllamaProbe.baseUrl("gpu")).isEqualTo(URI.create("http://gpu:11434"));
    assertThatThrownBy(() -> OllamaProbe.baseUrl("ftp://gpu"))
        .hasMessageContaining("OLLAMA_URL 'ftp://gpu' is not an http(s) URL");
  }

  @Test
  void aServerAnsweringApiVersionCountsAsOllama() {
    try (OllamaSimulator ollama = new OllamaSimulator().start()) {
      assertThat(OllamaProbe.version(URI.create(ollama.baseUrl()), Duration.ofSeconds(5)))
          .hasValue("0.12.6");
    }
  }

  @Test
  void aServerThatDoesNotAnswerDoesNot() throws IOException {
    // Accepts connections (backlog) but never answers: the probe must give up after its timeout.
    try (ServerSocket silent = new ServerSocket(0)) {
      URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      assertThat(OllamaProbe.version(url, Duration.ofMillis(300))).isEmpty();
    }
  }
}
