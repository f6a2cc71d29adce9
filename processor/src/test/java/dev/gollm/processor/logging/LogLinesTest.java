package dev.gollm.processor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLinesTest {
  @Test
  void namesWithinTheWidthStayWhole() {
    assertThat(LogLines.abbreviate("dev.gollm.processor.Main", 24))
        .isEqualTo("dev.gollm.processor.Main");
  }

  @Test
  void packagesShrinkToInitialsFromTheLeftUntilTheNameFits() {
    assertThat(LogLines.abbreviate("dev.gollm.processor.intake.Claimer", 24))
        .isEqualTo("d.g.p.intake.Claimer");
    assertThat(LogLines.abbreviate("dev.gollm.processor.intake.sse.SseIntake", 24))
        .isEqualTo("d.g.p.i.sse.SseIntake");
  }

  @Test
  void theClassNameStaysWholeEvenWhenTheNameCannotFit() {
    assertThat(LogLines.abbreviate("dev.gollm.AVeryLongClassNameIndeedThatIsLong", 24))
        .isEqualTo("d.g.AVeryLongClassNameIndeedThatIsLong");
    assertThat(LogLines.abbreviate("NoPackageAtAllButAVeryLongName", 24))
        .isEqualTo("NoPackageAtAllButAVeryLongName");
  }

  @Test
  void emptyPackageNamesKeepTheirDots() {
    assertThat(LogLines.abbreviate("a..LongClassNameLongerThanWidth", 24))
        .isEqualTo("a..LongClassNameLongerThanWidth");
  }

  @Test
  void textTimesAreUtcWithMillisecondsAndLevelsArePaddedToOneWidth() {
    assertThat(LogLines.text(event(0L, Level.ERROR)))
        .isEqualTo("1970-01-01T00:00:00.000Z ERROR L - m\n");
    assertThat(LogLines.text(event(1_735_787_045_678L, Level.INFO)))
        .isEqualTo("2025-01-02T03:04:05.678Z INFO  L - m\n");
    assertThat(LogLines.text(event(-1L, Level.WARN)))
        .isEqualTo("1969-12-31T23:59:59.999Z WARN  L - m\n");
  }

  private static LogEvent event(long epochMillis, Level level) {
    return new LogEvent(epochMillis, level, "main", "L", "m", null);
  }
}
