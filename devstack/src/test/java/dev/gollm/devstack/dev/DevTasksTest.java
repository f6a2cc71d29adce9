package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.manager.NewTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tasks {@code devstack dev} submits. */
class DevTasksTest {
  @Test
  void bundledSamplesAreTwelveEnglishAndRussianTasksWithVariedParameters() {
    List<NewTask> samples = DevTasks.samples();

    assertThat(samples).hasSize(12);
    assertThat(samples.getFirst().productData()).startsWith("Handmade ceramic mug");
    assertThat(samples.getFirst().priority()).isEqualTo(2);
    assertThat(samples.getFirst().ollamaParams())
        .isEqualTo("{\"temperature\":0.3,\"max_tokens\":120}");
    assertThat(samples).anyMatch(t -> t.productData().startsWith("Кофемолка"));
    assertThat(samples).anyMatch(t -> t.ollamaParams() == null);
    assertThat(samples)
        .anyMatch(t -> t.ollamaParams() != null && t.ollamaParams().contains("\"prompt\""));
  }

  @Test
  void aBadSampleLineIsNamedWithItsLineNumber() {
    assertThatThrownBy(() -> DevTasks.parseSamples("{\"product_data\":\"ok\"}\n\n{\"priority\":1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(DevTasks.SAMPLES_RESOURCE + ":3: product_data must be a non-empty string");
    assertThatThrownBy(() -> DevTasks.parseSamples("{\"product_data\":\"x\",\"ollama_params\":1}"))
        .hasMessageEndingWith(":1: ollama_params must be a JSON object");
  }

  @Test
  void syntheticTasksAreNumberedAndVaried() {
    List<NewTask> tasks = DevTasks.synthetic(5);

    assertThat(tasks).hasSize(5);
    assertThat(tasks.get(4).productData()).startsWith("Synthetic task 5 of 5: ");
    assertThat(tasks).extracting(NewTask::priority).containsExactly(0, 1, 2, 0, 1);
    assertThat(tasks.get(0).ollamaParams()).isEqualTo("{\"temperature\":0.1}");
    assertThat(tasks.get(4).ollamaParams()).isEqualTo("{\"temperature\":0.5}");
  }
}
