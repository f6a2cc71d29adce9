package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "0, 0",
    "300ms, 300000000",
    "1.5s, 1500000000",
    "5s, 5000000000",
    "1m30s, 90000000000",
    "1h, 3600000000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "2µs, 2000",
    "2μs, 2000",
    "2us, 2000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "+5s, 5000000000",
    "-1.5h, -5400000000000",
    "0.000000001s, 1",
  })
  void parsesGoSyntax(String text, long nanos) throws Exception {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(
      strings = {"", "5", "s", ".s", "5x", "5 s", " 5s", "1d", "1h-5m", "--5s", "9999999999h"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(InvalidValueException.class);
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource({
    "PT50S, 50s",
    "PT1M30S, 1m30s",
    "PT1H, 1h",
    "PT1H0M30S, 1h30s",
    "PT1.5S, 1.5s",
    "PT0.3S, 300ms",
    "PT0.000002S, 2us",
    "PT0S, 0s",
  })
  void formatsCompactlyAndReadsBack(Duration duration, String text) throws Exception {
    assertThat(GoDuration.format(duration)).isEqualTo(text);
    assertThat(GoDuration.parse(text)).isEqualTo(duration);
  }
}
