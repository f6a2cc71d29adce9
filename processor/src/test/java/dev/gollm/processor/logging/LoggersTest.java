package dev.gollm.processor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

class LoggersTest {
  private static final long NOON = 1_735_819_200_123L; // 2025-01-02T12:00:00.123Z

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Loggers loggers =
      new Loggers(new PrintStream(out, false, StandardCharsets.UTF_8), () -> NOON);

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void logsInfoAndAboveAsTextLinesBeforeAnyConfiguration() {
    Logger log = loggers.getLogger("dev.gollm.processor.intake.Claimer");
    log.debug("not shown");
    log.info("claimed {} of {}", 3, 4);
    log.warn("slow");

    assertThat(lines())
        .containsExactly(
            "2025-01-02T12:00:00.123Z INFO  d.g.p.intake.Claimer - claimed 3 of 4",
            "2025-01-02T12:00:00.123Z WARN  d.g.p.intake.Claimer - slow");
  }

  @Test
  void aNewLevelHoldsForLoggersMadeBeforeAndAfter() {
    Logger before = loggers.getLogger("a.Before");
    loggers.configure(LogFormat.TEXT, Level.DEBUG);
    Logger after = loggers.getLogger("a.After");

    assertThat(before.isDebugEnabled()).isTrue();
    assertThat(after.isDebugEnabled()).isTrue();
    assertThat(after.isTraceEnabled()).isFalse();

    loggers.configure(LogFormat.TEXT, Level.ERROR);
    before.warn("not shown");
    after.error("shown");
    assertThat(lines()).containsExactly("2025-01-02T12:00:00.123Z ERROR a.After - shown");
  }

  @Test
  void chattyLibrariesLogWarningsOnlyWhateverTheLevel() {
    loggers.configure(LogFormat.TEXT, Level.TRACE);

    assertThat(loggers.getLogger("io.micrometer.core.instrument.Meter").isInfoEnabled()).isFalse();
    assertThat(loggers.getLogger("io.prometheus").isWarnEnabled()).isTrue();
    assertThat(loggers.getLogger("io.micrometerish.Other").isTraceEnabled()).isTrue();

    loggers.configure(LogFormat.TEXT, Level.ERROR);
    assertThat(loggers.getLogger("io.prometheus").isWarnEnabled()).isFalse();
  }

  @Test
  void aTrailingExceptionIsTheEventsThrowableNotAnArgument() {
    Logger log = loggers.getLogger("Top");
    log.warn("call {} failed", "claim", new IOException("reset"));

    List<String> lines = lines();
    assertThat(lines.get(0)).endsWith("WARN  Top - call claim failed");
    assertThat(lines.get(1)).isEqualTo("java.io.IOException: reset");
    assertThat(lines.get(2)).startsWith("\tat dev.gollm.processor.logging.LoggersTest.");
  }

  @Test
  void aNullMessageIsWrittenAsNull() {
    loggers.getLogger("x").info(null);

    assertThat(lines()).containsExactly("2025-01-02T12:00:00.123Z INFO  x - null");
  }

  @Test
  void jsonLinesAreOneObjectEachWithTheThreadAndTheFullLoggerName() {
    loggers.configure(LogFormat.JSON, Level.INFO);
    loggers.getLogger("dev.gollm.processor.intake.Claimer").info("line \"one\"\nand two");

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonObject event = (JsonObject) Json.parse(lines.getFirst());
    assertThat(event.members().keySet())
        .containsExactly("timestamp", "level", "threadName", "loggerName", "formattedMessage");
    assertThat(event.path("timestamp").asLong(0)).isEqualTo(NOON);
    assertThat(event.path("level").asString()).isEqualTo("INFO");
    assertThat(event.path("threadName").asString()).isEqualTo(Thread.currentThread().getName());
    assertThat(event.path("loggerName").asString()).isEqualTo("dev.gollm.processor.intake.Claimer");
    assertThat(event.path("formattedMessage").asString()).isEqualTo("line \"one\"\nand two");
  }

  @Test
  void aJsonLineCarriesTheExceptionsClassMessageAndStackTrace() {
    loggers.configure(LogFormat.JSON, Level.INFO);
    loggers
        .getLogger("x")
        .error("failed", new IllegalStateException("outer", new IOException("inner")));

    JsonObject event = (JsonObject) Json.parse(lines().getFirst());
    assertThat(event.path("throwable").path("className").asString())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(event.path("throwable").path("message").asString()).isEqualTo("outer");
    assertThat(event.path("throwable").path("stackTrace").asString())
        .startsWith("java.lang.IllegalStateException: outer\n\tat ")
        .contains("Caused by: java.io.IOException: inner");
  }
}
