package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoBoolTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
  void acceptsGoTrueSpellings(String text) throws Exception {
    assertThat(GoBool.parse(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
  void acceptsGoFalseSpellings(String text) throws Exception {
    assertThat(GoBool.parse(text)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yes", "no", "on", "TrUe", "2", " true"})
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> GoBool.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("true or false");
  }
}
