package dev.gollm.devstack.httpbench;

import java.time.Duration;

/**
 * The bounds every client gets: the TCP connect, and a whole request (for the JDK client) or the
 * wait for each read (for the blocking clients, whose answers here arrive within milliseconds).
 */
record Timeouts(Duration connect, Duration request) {
  static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
}
