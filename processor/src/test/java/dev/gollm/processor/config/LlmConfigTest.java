package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.config.ProcessorConfig.LlmApi;
import dev.gollm.processor.config.ProcessorConfig.LlmEndpoint;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LLM_API, LLM_API_KEY and LLM_ENDPOINTS. */
class LlmConfigTest {
  private static LoadedConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.environmentOnly(env).load();
  }

  @Test
  void byDefaultOllamaUrlIsTheOnlyEndpointWithWorkerCountSlots() throws Exception {
    ProcessorConfig c = load(Map.of("OLLAMA_URL", "gpu:11434", "WORKER_COUNT", "6")).config();

    assertThat(c.llmApi()).isEqualTo(LlmApi.OLLAMA);
    assertThat(c.llmApiKey().value()).isEmpty();
    assertThat(c.endpoints()).containsExactly(new LlmEndpoint(URI.create("http://gpu:11434"), 6));
  }

  @Test
  void endpointsListUrlsWithCapacitiesAndAnOmittedCapacityIsWorkerCount() throws Exception {
    ProcessorConfig c =
        load(Map.of(
                "LLM_ENDPOINTS",
                "http://gpu1:8000/v1*4, gpu2:8000 ,gpu3*1",
                "WORKER_COUNT",
                "5",
                "LLM_API",
                "OpenAI"))
            .config();

    assertThat(c.llmApi()).isEqualTo(LlmApi.OPENAI);
    assertThat(c.endpoints())
        .containsExactly(
            new LlmEndpoint(URI.create("http://gpu1:8000/v1"), 4),
            new LlmEndpoint(URI.create("http://gpu2:8000"), 5),
            new LlmEndpoint(URI.create("http://gpu3:11434"), 1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://a:1*4,http://b:2*0 | entry 2 \"http://b:2*0\" has no valid capacity",
        "http://a:1*x | entry 1 \"http://a:1*x\" has no valid capacity",
        "http://a:1,,http://b:2 | entry 2 \"\" is not a URL",
        "http://a:1,ftp://b:2*2 | entry 2 \"ftp://b:2*2\" is not a URL",
        "http://a:1*2,a:1*3 | entry 2 \"a:1*3\" repeats http://a:1"
      })
  void aBadEntryIsNamedByItsPosition(String value, String message) {
    assertThatThrownBy(() -> load(Map.of("LLM_ENDPOINTS", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LLM_ENDPOINTS")
        .hasMessageContaining(message);
  }

  @Test
  void theKeyIsMaskedInSettingsAndNeverPrinted() throws Exception {
    LoadedConfig loaded = load(Map.of("LLM_API_KEY", "sk-s3cret", "LLM_API", "auto"));

    Map<String, String> shown =
        loaded.settings().stream().collect(Collectors.toMap(Setting::name, Setting::value));
    assertThat(shown).containsEntry("LLM_API_KEY", "****").containsEntry("LLM_API", "auto");
    assertThat(loaded.config().llmApiKey().value()).isEqualTo("sk-s3cret");
    assertThat(loaded.config().toString()).doesNotContain("sk-s3cret");
  }

  @Test
  void anUnknownApiIsRejectedNamingTheChoices() {
    assertThatThrownBy(() -> load(Map.of("LLM_API", "vllm")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("one of ollama, openai, auto");
  }
}
