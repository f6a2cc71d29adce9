package dev.gollm.devstack.manager;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Run-time fault injection of one manager server; off until something is set. Rules are per
 * endpoint, with an optional rule for every endpoint ({@link #setAll}) used where an endpoint has
 * none. Thread-safe; changes apply to requests already waiting (lifting a hang releases them).
 */
public final class Faults {
  /** The key of the rule that applies to every endpoint without its own. */
  public static final String ALL = "*";

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Random random;
  private final long hangLimitNanos;
  private final AtomicLong injected = new AtomicLong();
  private volatile Map<String, EndpointFault> rules = Map.of();
  private volatile boolean refuseSse;
  private volatile int refuseSseStatus = 503;
  private volatile Duration stealPause;
  private int hanging;
  private int stealsInWindow;
  private boolean closed;

  /** What a request should do after the faults had their say. */
  enum Decision {
    PROCEED,
    INJECT,
    ABORT
  }

  /** A decision and, for {@link Decision#INJECT}, the status to answer. */
  record Outcome(Decision decision, int status) {
    static final Outcome PROCEED = new Outcome(Decision.PROCEED, 0);
    static final Outcome ABORT = new Outcome(Decision.ABORT, 0);
  }

  Faults(Long seed, Duration hangLimit) {
    this.random = seed == null ? new Random() : new Random(seed);
    this.hangLimitNanos = hangLimit.toNanos();
  }

  /** Sets the rule of one endpoint, replacing any previous one. */
  public void set(Endpoint endpoint, EndpointFault fault) {
    put(endpoint.endpointName(), fault);
  }

  /** Sets the rule for every endpoint that has no rule of its own. */
  public void setAll(EndpointFault fault) {
    put(ALL, fault);
  }

  /** Removes the rule of one endpoint (releasing requests it holds). */
  public void clear(Endpoint endpoint) {
    remove(endpoint.endpointName());
  }

  /** Removes every rule, accepts SSE connections again and makes steals atomic again. */
  public void clearAll() {
    lock.lock();
    try {
      rules = Map.of();
      refuseSse = false;
      refuseSseStatus = 503;
      stealPause = null;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Answers new task-stream connections with {@code status} instead of a stream (or stops). */
  public void refuseSse(boolean refuse, int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("refusal status must be 400..599, got " + status);
    }
    refuseSseStatus = status;
    refuseSse = refuse;
  }

  /** Answers new task-stream connections with 503 (or stops doing so). */
  public void refuseSse(boolean refuse) {
    refuseSse(refuse, 503);
  }

  public boolean refusingSse() {
    return refuseSse;
  }

  public int refuseSseStatus() {
    return refuseSseStatus;
  }

  /**
   * Makes work-steal non-atomic, as the real manager's is: it selects the tasks in one step and
   * assigns them in another, without a condition on the update, and waits {@code pause} between the
   * two outside the store's lock. Two steals whose windows overlap can both be handed the same
   * task; the later update owns it. {@link Duration#ZERO} leaves only the real manager's own short
   * window; a longer pause widens it. Steals already in their window keep waiting until their pause
   * (measured with the setting in force when they wake) is over.
   */
  public void splitSteals(Duration pause) {
    if (pause.isNegative()) {
      throw new IllegalArgumentException("steal pause must not be negative, got " + pause);
    }
    lock.lock();
    try {
      stealPause = pause;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes work-steal atomic again (the default): select and update in one transaction. Steals
   * waiting in their window go on to their update at once.
   */
  public void atomicSteals() {
    lock.lock();
    try {
      stealPause = null;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The pause between a steal's select and its update, or empty while steals are atomic. */
  public Optional<Duration> stealPause() {
    return Optional.ofNullable(stealPause);
  }

  /** Steals that have selected their tasks and wait in their window before the update. */
  public int stealsInWindow() {
    lock.lock();
    try {
      return stealsInWindow;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Holds a split steal between its select and its update for the configured pause, or until steals
   * are made atomic again.
   *
   * @return false when the server closed meanwhile (the steal should not update anything)
   */
  boolean awaitStealWindow() throws InterruptedException {
    long started = System.nanoTime();
    lock.lock();
    try {
      stealsInWindow++;
      try {
        while (!closed) {
          Duration pause = stealPause;
          long remaining = pause == null ? 0 : pause.toNanos() - (System.nanoTime() - started);
          if (remaining <= 0) {
            break;
          }
          changed.awaitNanos(remaining);
        }
      } finally {
        stealsInWindow--;
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** The current rules by endpoint name ({@value #ALL} for the catch-all rule). */
  public Map<String, EndpointFault> rules() {
    return rules;
  }

  /** Requests currently held by a hang. */
  public int hangingRequests() {
    lock.lock();
    try {
      return hanging;
    } finally {
      lock.unlock();
    }
  }

  /** How many responses were replaced by an injected status so far. */
  public long injectedCount() {
    return injected.get();
  }

  void put(String name, EndpointFault fault) {
    if (!ALL.equals(name) && Endpoint.byName(name).isEmpty()) {
      throw new IllegalArgumentException("unknown endpoint '" + name + "'");
    }
    lock.lock();
    try {
      Map<String, EndpointFault> next = new LinkedHashMap<>(rules);
      next.put(name, fault);
      rules = Collections.unmodifiableMap(next);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void remove(String name) {
    lock.lock();
    try {
      Map<String, EndpointFault> next = new LinkedHashMap<>(rules);
      next.remove(name);
      rules = Collections.unmodifiableMap(next);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Replaces every rule at once. */
  void replace(Map<String, EndpointFault> newRules) {
    for (String name : newRules.keySet()) {
      if (!ALL.equals(name) && Endpoint.byName(name).isEmpty()) {
        throw new IllegalArgumentException("unknown endpoint '" + name + "'");
      }
    }
    lock.lock();
    try {
      rules = Collections.unmodifiableMap(new LinkedHashMap<>(newRules));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private EndpointFault ruleFor(Endpoint endpoint) {
    Map<String, EndpointFault> current = rules;
    EndpointFault own = current.get(endpoint.endpointName());
    return own != null ? own : current.get(ALL);
  }

  /**
   * Applies the endpoint's rule to one request: waits out latency and hangs, then decides whether
   * to inject a status. Returns {@link Outcome#ABORT} when the server closes meanwhile.
   */
  Outcome apply(Endpoint endpoint) throws InterruptedException {
    if (ruleFor(endpoint) == null) {
      return Outcome.PROCEED;
    }
    lock.lock();
    try {
      EndpointFault rule = ruleFor(endpoint);
      if (rule != null && rule.latencyMs() > 0) {
        long remaining = TimeUnit.MILLISECONDS.toNanos(rule.latencyMs());
        while (!closed && remaining > 0) {
          remaining = changed.awaitNanos(remaining);
        }
      }
      rule = ruleFor(endpoint);
      if (rule != null && rule.hang()) {
        hanging++;
        try {
          long remaining = hangLimitNanos;
          while (!closed && remaining > 0) {
            EndpointFault current = ruleFor(endpoint);
            if (current == null || !current.hang()) {
              break;
            }
            remaining = changed.awaitNanos(remaining);
          }
        } finally {
          hanging--;
        }
      }
      if (closed) {
        return Outcome.ABORT;
      }
      rule = ruleFor(endpoint);
      if (rule != null && rule.status() != 0 && random.nextDouble() < rule.rate()) {
        injected.incrementAndGet();
        return new Outcome(Decision.INJECT, rule.status());
      }
      return Outcome.PROCEED;
    } finally {
      lock.unlock();
    }
  }

  /** Releases every waiting request for shutdown; they abort. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
