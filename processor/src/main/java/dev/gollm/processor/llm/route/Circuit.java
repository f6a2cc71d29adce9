package dev.gollm.processor.llm.route;

import dev.gollm.processor.schedule.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * One endpoint's circuit: closed while it answers; opened by a failed attempt (busy, unreachable,
 * broken), so new work goes elsewhere; half-open once the wait is over, when one attempt may probe
 * it; closed again by any answer. Each failed probe doubles the wait (1 s up to 30 s), and a
 * server's Retry-After lengthens it. Failures of attempts sent before it opened do not add to the
 * wait. Not thread-safe: the router guards it.
 */
final class Circuit {
  static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private int openings;
  private Instant openUntil;
  private boolean probing;
  private String lastError;

  State state(Instant now) {
    if (openUntil == null) {
      return State.CLOSED;
    }
    return now.isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
  }

  /** Half-open with no probe on its way: the next attempt may probe. */
  boolean probeDue(Instant now) {
    return state(now) == State.HALF_OPEN && !probing;
  }

  void probeStarted() {
    probing = true;
  }

  /** The endpoint answered (a result, or a refusal of the request itself). */
  void succeeded() {
    openings = 0;
    openUntil = null;
    probing = false;
    lastError = null;
  }

  /**
   * An attempt failed in a way that says the endpoint cannot work now.
   *
   * @param retryAfter the server's own wait, or null
   */
  void failed(Instant now, String error, Duration retryAfter) {
    lastError = error;
    if (state(now) == State.OPEN) {
      return; // an attempt that started before the circuit opened: no news
    }
    openings++;
    Duration wait = Durations.times(FIRST_WAIT, 1L << Math.min(openings - 1, 10));
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    openUntil = now.plus(wait);
    probing = false;
  }

  /** An attempt ended without telling anything (cancelled): a probe may go again. */
  void inconclusive() {
    probing = false;
  }

  /** When the circuit becomes half-open; null while closed. */
  Instant openUntil() {
    return openUntil;
  }

  /** Why it last failed; null while closed. */
  String lastError() {
    return lastError;
  }
}
