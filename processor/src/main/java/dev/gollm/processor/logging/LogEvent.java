package dev.gollm.processor.logging;

import org.slf4j.event.Level;

/** One logged event, its message already formatted; {@code thrown} is null when there is none. */
record LogEvent(
    long epochMillis,
    Level level,
    String threadName,
    String loggerName,
    String message,
    Throwable thrown) {}
