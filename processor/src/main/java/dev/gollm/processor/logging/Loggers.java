package dev.gollm.processor.logging;

import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The processor's loggers and where their lines go: one line per event (text or JSON, see {@link
 * LogLines}) on one stream. LOG_LEVEL holds for every logger but the chatty libraries', which log
 * warnings and errors only.
 */
public final class Loggers implements ILoggerFactory {
  /** Chatty libraries: only their warnings are worth a processor operator's attention. */
  private static final List<String> QUIET = List.of("io.micrometer", "io.prometheus");

  private final Map<String, LevelLogger> loggers = new ConcurrentHashMap<>();
  private final PrintStream out;
  private final LongSupplier epochMillis;
  private volatile LogFormat format = LogFormat.TEXT;
  private Level least = Level.INFO; // guarded by this

  /** Lines go to {@code out}, stamped with the time {@code epochMillis} tells. */
  public Loggers(PrintStream out, LongSupplier epochMillis) {
    this.out = out;
    this.epochMillis = epochMillis;
  }

  @Override
  public Logger getLogger(String name) {
    LevelLogger logger = loggers.get(name);
    return logger != null ? logger : create(name);
  }

  private synchronized LevelLogger create(String name) {
    // Under the same lock as configure, so that no logger misses a change of level.
    return loggers.computeIfAbsent(name, n -> new LevelLogger(n, this, leastFor(n)));
  }

  /** From now on: lines in {@code format}, events at {@code least} and more severe. */
  public synchronized void configure(LogFormat format, Level least) {
    this.format = format;
    this.least = least;
    for (LevelLogger logger : loggers.values()) {
      logger.least(leastFor(logger.getName()));
    }
  }

  private int leastFor(String name) {
    for (String quiet : QUIET) {
      if (name.startsWith(quiet)
          && (name.length() == quiet.length() || name.charAt(quiet.length()) == '.')) {
        return Math.max(least.toInt(), Level.WARN.toInt());
      }
    }
    return least.toInt();
  }

  void log(String loggerName, Level level, String message, Throwable thrown) {
    LogEvent event =
        new LogEvent(
            epochMillis.getAsLong(),
            level,
            Thread.currentThread().getName(),
            loggerName,
            message,
            thrown);
    String line = format == LogFormat.JSON ? LogLines.json(event) : LogLines.text(event);
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes, 0, bytes.length); // a PrintStream keeps its errors to itself
      out.flush();
    }
  }
}
