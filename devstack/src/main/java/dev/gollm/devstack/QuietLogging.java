package dev.gollm.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** For devstack's commands that print their own progress: the libraries log warnings at most. */
public final class QuietLogging {
  private QuietLogging() {}

  /** The root logger at WARN: SQLite, the HTTP servers and clients say only what went wrong. */
  public static void apply() {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
