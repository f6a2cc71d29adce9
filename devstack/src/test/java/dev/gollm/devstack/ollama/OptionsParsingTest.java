package dev.gollm.devstack.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsParsingTest {
  @Test
  void readsOllamaOptionKeysAndIgnoresUnknownOnes() {
    GenerationOptions o =
        GenerationOptions.of(
            Map.of(
                "seed",
                7,
                "temperature",
                0.3,
                "top_p",
                0.9,
                "top_k",
                40,
                "repeat_penalty",
                1.1,
                "num_predict",
                64,
                "stop",
                List.of("###"),
                "num_ctx",
                4096,
                "mirostat",
                2));

    assertThat(o).isEqualTo(new GenerationOptions(7L, 0.3, 0.9, 40, 1.1, 64, List.of("###"), 4096));
  }

  @Test
  void aWrongTypeNamesTheFieldAndTheExpectedType() {
    assertThatThrownBy(() -> GenerationOptions.of(Map.of("temperature", "hot")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("options.temperature")
        .hasMessageContaining("expected a number");
    assertThatThrownBy(() -> GenerationOptions.of(Map.of("top_k", 1.5)))
        .hasMessageContaining("options.top_k: expected an integer");
  }

  @Test
  void canonicalFormWritesNumbersWithoutTrailingZeros() {
    assertThat(GenerationOptions.NONE.withTemperature(1.0).withSeed(3L).canonical())
        .isEqualTo("seed=3;temperature=1;top_p=-;top_k=-;repeat_penalty=-");
  }

  @Test
  void keepAliveAcceptsGoDurationsSecondsAndNegatives() {
    assertThat(KeepAlive.parse("5m", "k")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KeepAlive.parse("1h30m", "k")).isEqualTo(Duration.ofMinutes(90));
    assertThat(KeepAlive.parse("250ms", "k")).isEqualTo(Duration.ofMillis(250));
    assertThat(KeepAlive.parse("0", "k")).isZero();
    assertThat(KeepAlive.parse("3600", "k")).isEqualTo(Duration.ofHours(1));
    assertThat(KeepAlive.parse("-1", "k")).isNegative();
    assertThat(KeepAlive.parse("-1m", "k")).isNegative();
  }

  @Test
  void keepAliveRejectsTextThatIsNoDuration() {
    assertThatThrownBy(() -> KeepAlive.parse("soon", "keep_alive"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("keep_alive: 'soon' is not a duration");
  }

  @Test
  void modelNamesWithoutTagMeanLatest() {
    assertThat(ModelName.normalize("llama3.2")).isEqualTo("llama3.2:latest");
    assertThat(ModelName.normalize("gemma2:1b")).isEqualTo("gemma2:1b");
    assertThat(ModelName.normalize("host:5000/user/m")).isEqualTo("host:5000/user/m:latest");
  }

  @Test
  void answerLengthParsesACountOrARange() {
    assertThat(AnswerLength.parse("20")).isEqualTo(AnswerLength.fixed(20));
    assertThat(AnswerLength.parse("8-16")).isEqualTo(AnswerLength.range(8, 16));
    assertThatThrownBy(() -> AnswerLength.parse("many"))
        .hasMessageContaining("expected N or MIN-MAX");
  }
}
