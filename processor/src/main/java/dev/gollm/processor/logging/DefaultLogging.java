package dev.gollm.processor.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;

/**
 * Logback's start-up configuration, found through the ServiceLoader: readable lines at info until
 * {@link Logging#configure} applies LOG_FORMAT and LOG_LEVEL. Set in code because parsing an XML
 * file that is replaced moments later cost a measurable share of the start-up CPU. A {@code
 * logback.configurationFile} system property still wins (the tests route their logs with one).
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logging.apply(context, LogFormat.TEXT, "info");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
