package dev.gollm.devstack.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Collects the output of every processor JVM of a run into one file, each line prefixed with the
 * processor's name, and counts its lines by level (processors log JSON lines, whose {@code level}
 * is read) and the lines that are not log events at all (JVM messages, crashes).
 */
public final class ProcessorLog implements AutoCloseable {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final BufferedWriter out;
  private long debugLines;
  private long infoLines;
  private long warnings;
  private long errors;
  private long otherLines;
  private final Map<String, Instant> firstEvent = new HashMap<>();

  public ProcessorLog(Path file) {
    this.file = file;
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the processor log " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /** A consumer for one processor's output lines. */
  public Consumer<String> forProcessor(String name) {
    return line -> write(name, line);
  }

  private synchronized void write(String name, String line) {
    count(name, line);
    try {
      out.write(name);
      out.write(": ");
      out.write(line);
      out.newLine();
    } catch (IOException e) {
      otherLines++; // the log is a by-product; a full disk must not stop the measurement
    }
  }

  private void count(String name, String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (JacksonException e) {
      otherLines++;
      return;
    }
    if (event.path("timestamp").isIntegralNumber()) {
      firstEvent.putIfAbsent(name, Instant.ofEpochMilli(event.path("timestamp").asLong()));
    }
    String level = event.path("level").asString("").toUpperCase(Locale.ROOT);
    switch (level) {
      case "TRACE", "DEBUG" -> debugLines++;
      case "INFO" -> infoLines++;
      case "WARN" -> warnings++;
      case "ERROR" -> errors++;
      default -> otherLines++;
    }
  }

  /** The timestamp of the first log event of the named processor, if it logged any. */
  public synchronized Optional<Instant> firstEvent(String name) {
    return Optional.ofNullable(firstEvent.get(name));
  }

  /**
   * What the log holds, for the console: e.g. {@code 69 info lines, 0 warnings, 0 errors, 0 other
   * lines} (debug lines only when there are any).
   */
  public synchronized String describe() {
    return (debugLines > 0 ? count(debugLines, "debug line") + ", " : "")
        + count(infoLines, "info line")
        + ", "
        + count(warnings, "warning")
        + ", "
        + count(errors, "error")
        + ", "
        + count(otherLines, "other line");
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  public synchronized long debugLines() {
    return debugLines;
  }

  public synchronized long infoLines() {
    return infoLines;
  }

  public synchronized long warnings() {
    return warnings;
  }

  public synchronized long errors() {
    return errors;
  }

  public synchronized long otherLines() {
    return otherLines;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the processor log " + file, e);
    }
  }
}
