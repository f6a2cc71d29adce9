package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorLogTest {
  @TempDir Path dir;

  @Test
  void countsLinesByLevelAndLinesThatAreNoLogEvent() throws Exception {
    Path file = dir.resolve("p.log");
    try (ProcessorLog log = new ProcessorLog(file)) {
      Consumer<String> out = log.forProcessor("bench-poll");
      out.accept("{\"timestamp\":1000,\"level\":\"INFO\",\"message\":\"started\"}");
      out.accept("{\"timestamp\":1001,\"level\":\"INFO\",\"message\":\"claimed\"}");
      out.accept("{\"timestamp\":1002,\"level\":\"WARN\",\"message\":\"slow\"}");
      out.accept("{\"timestamp\":1003,\"level\":\"ERROR\",\"message\":\"failed\"}");
      out.accept("OpenJDK 64-Bit Server VM warning: something");

      assertThat(log.infoLines()).isEqualTo(2);
      assertThat(log.warnings()).isEqualTo(1);
      assertThat(log.errors()).isEqualTo(1);
      assertThat(log.otherLines()).isEqualTo(1);
      assertThat(log.describe()).isEqualTo("2 info lines, 1 warning, 1 error, 1 other line");
      assertThat(log.firstEvent("bench-poll")).contains(Instant.ofEpochMilli(1000));
    }
    assertThat(Files.readAllLines(file)).hasSize(5).allMatch(l -> l.startsWith("bench-poll: "));
  }

  @Test
  void anInfoOnlyLogDoesNotReadAsEmpty() {
    try (ProcessorLog log = new ProcessorLog(dir.resolve("p.log"))) {
      for (int i = 0; i < 69; i++) {
        log.forProcessor("p").accept("{\"level\":\"INFO\"}");
      }

      assertThat(log.describe()).isEqualTo("69 info lines, 0 warnings, 0 errors, 0 other lines");
    }
  }

  @Test
  void debugLinesAreNamedOnlyWhenThereAreAny() {
    try (ProcessorLog log = new ProcessorLog(dir.resolve("p.log"))) {
      log.forProcessor("p").accept("{\"level\":\"DEBUG\"}");

      assertThat(log.describe()).startsWith("1 debug line, 0 info lines");
    }
  }
}
