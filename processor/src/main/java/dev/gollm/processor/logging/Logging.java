package dev.gollm.processor.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback from LOG_FORMAT and LOG_LEVEL: one line per event on stdout, readable text or a
 * JSON object. Replaces the defaults of {@link DefaultLogging}, which only cover the moments before
 * this runs.
 */
public final class Logging {
  /** Readable lines: time, level, logger, message (and the stack trace, if any). */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{24} - %msg%n";

  /** Chatty libraries: only their warnings are worth a processor operator's attention. */
  private static final Map<String, Level> QUIET =
      Map.of("io.micrometer", Level.WARN, "io.prometheus", Level.WARN);

  private Logging() {}

  /** Reconfigures the process's logging; {@code level} is trace, debug, info, warn or error. */
  public static void configure(LogFormat format, String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    apply(context, format, level);
  }

  /** Adds the stdout appender and the levels to a context that has none yet. */
  static void apply(LoggerContext context, LogFormat format, String level) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stdout");
    appender.setTarget("System.out");
    appender.setEncoder(encoder(format, context));
    appender.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(appender);
    QUIET.forEach((name, quietLevel) -> context.getLogger(name).setLevel(quietLevel));
  }

  private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
    return switch (format) {
      case TEXT -> {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.setCharset(StandardCharsets.UTF_8);
        text.start();
        yield text;
      }
      case JSON -> {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        yield json;
      }
    };
  }
}
