package dev.gollm.processor.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A named logger that passes events at its level and more severe to {@link Loggers}. SLF4J's base
 * class checks the level and splits a trailing exception from the arguments.
 */
final class LevelLogger extends LegacyAbstractLogger {
  private final transient Loggers loggers;
  private volatile int least; // Level.toInt() of the least severe level logged

  LevelLogger(String name, Loggers loggers, int least) {
    this.name = name;
    this.loggers = loggers;
    this.least = least;
  }

  void least(int least) {
    this.least = least;
  }

  @Override
  public boolean isTraceEnabled() {
    return least <= Level.TRACE.toInt();
  }

  @Override
  public boolean isDebugEnabled() {
    return least <= Level.DEBUG.toInt();
  }

  @Override
  public boolean isInfoEnabled() {
    return least <= Level.INFO.toInt();
  }

  @Override
  public boolean isWarnEnabled() {
    return least <= Level.WARN.toInt();
  }

  @Override
  public boolean isErrorEnabled() {
    return least <= Level.ERROR.toInt();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null; // no line shows the caller
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    loggers.log(name, level, message == null ? "null" : message, thrown); // as Logback wrote it
  }
}
