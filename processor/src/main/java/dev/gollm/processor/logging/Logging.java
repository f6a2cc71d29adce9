package dev.gollm.processor.logging;

import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Applies LOG_FORMAT and LOG_LEVEL to the process's logging. */
public final class Logging {
  private Logging() {}

  /**
   * Lines in {@code format} from now on, at {@code level} (trace, debug, info, warn or error) and
   * more severe. Another SLF4J backend, chosen with the {@code slf4j.provider} system property,
   * keeps its own configuration.
   */
  public static void configure(LogFormat format, String level) {
    if (LoggerFactory.getILoggerFactory() instanceof Loggers loggers) {
      loggers.configure(format, Level.valueOf(level.toUpperCase(Locale.ROOT)));
    }
  }
}
