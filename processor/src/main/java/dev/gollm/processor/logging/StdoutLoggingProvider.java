package dev.gollm.processor.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The processor's SLF4J backend, found by SLF4J's ServiceLoader: {@link Loggers} writing to stdout,
 * readable text at info until {@link Logging#configure} applies LOG_FORMAT and LOG_LEVEL. The
 * processor sets nothing in the MDC and asks for no markers, so both are SLF4J's plain ones.
 */
public final class StdoutLoggingProvider implements SLF4JServiceProvider {
  private Loggers loggers;
  private IMarkerFactory markers;
  private MDCAdapter mdc;

  @Override
  public void initialize() {
    loggers = new Loggers(System.out, System::currentTimeMillis);
    markers = new BasicMarkerFactory();
    mdc = new NOPMDCAdapter();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99"; // what SLF4J's own 2.0 providers declare
  }
}
