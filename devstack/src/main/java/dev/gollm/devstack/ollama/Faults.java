package dev.gollm.devstack.ollama;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults switchable at run time, all off by default. Generation faults apply to /api/chat,
 * /api/generate and /v1/chat/completions; pull faults to /api/pull. Thread-safe; setters return
 * {@code this} for chaining.
 */
public final class Faults {
  /** Token-count fault positions use this for "off". */
  public static final int OFF = -1;

  /**
   * A snapshot of the fault switches.
   *
   * @param errorRate fraction of generation requests answered with {@code errorStatus} before any
   *     byte (0 = off, 1 = all); spread evenly: request n fails when floor((n+1)·rate) >
   *     floor(n·rate)
   * @param errorStatus the HTTP status of those errors (500, 503, ...)
   * @param hang when positive, a generation request that gets a slot holds it without answering
   *     until {@link Faults#liftHang()} or this long
   * @param disconnectAfterTokens the connection is dropped after this many tokens ({@link #OFF})
   * @param malformedAfterTokens a malformed line is written after this many tokens ({@link #OFF})
   * @param stallAfterTokens a pause of {@code stall} is inserted after this many tokens ({@link
   *     #OFF})
   * @param stall the length of that pause
   * @param pullStep when positive, the pause before each pull progress line (a slow pull)
   * @param pullFailure how pulls fail ({@link PullFailure#NONE}: they do not)
   * @param pullFailures how many more pulls fail that way; {@link #OFF} for every pull
   */
  public record Settings(
      double errorRate,
      int errorStatus,
      Duration hang,
      int disconnectAfterTokens,
      int malformedAfterTokens,
      int stallAfterTokens,
      Duration stall,
      Duration pullStep,
      PullFailure pullFailure,
      int pullFailures) {
    /** Everything off. */
    public static final Settings NONE =
        new Settings(
            0,
            500,
            Duration.ZERO,
            OFF,
            OFF,
            OFF,
            Duration.ZERO,
            Duration.ZERO,
            PullFailure.NONE,
            OFF);

    public Settings {
      if (!(errorRate >= 0 && errorRate <= 1)) {
        throw new IllegalArgumentException("error rate " + errorRate + " must be within 0..1");
      }
      if (errorStatus < 400 || errorStatus > 599) {
        throw new IllegalArgumentException("error status " + errorStatus + " must be 400..599");
      }
      for (Duration d : new Duration[] {hang, stall, pullStep}) {
        if (d == null || d.isNegative()) {
          throw new IllegalArgumentException("fault durations must be zero or positive, got " + d);
        }
      }
      if (pullFailure == null) {
        throw new IllegalArgumentException("pullFailure is required (NONE for no failure)");
      }
      for (int n :
          new int[] {disconnectAfterTokens, malformedAfterTokens, stallAfterTokens, pullFailures}) {
        if (n < OFF) {
          throw new IllegalArgumentException(
              "token positions and counts must be -1 (off / every one) or >= 0, got " + n);
        }
      }
    }

    public Settings withErrorRate(double rate, int status) {
      return new Settings(
          rate,
          status,
          hang,
          disconnectAfterTokens,
          malformedAfterTokens,
          stallAfterTokens,
          stall,
          pullStep,
          pullFailure,
          pullFailures);
    }

    public Settings withHang(Duration value) {
      return new Settings(
          errorRate,
          errorStatus,
          value,
          disconnectAfterTokens,
          malformedAfterTokens,
          stallAfterTokens,
          stall,
          pullStep,
          pullFailure,
          pullFailures);
    }

    public Settings withDisconnectAfterTokens(int tokens) {
      return new Settings(
          errorRate,
          errorStatus,
          hang,
          tokens,
          malformedAfterTokens,
          stallAfterTokens,
          stall,
          pullStep,
          pullFailure,
          pullFailures);
    }

    public Settings withMalformedAfterTokens(int tokens) {
      return new Settings(
          errorRate,
          errorStatus,
          hang,
          disconnectAfterTokens,
          tokens,
          stallAfterTokens,
          stall,
          pullStep,
          pullFailure,
          pullFailures);
    }

    public Settings withStall(int afterTokens, Duration pause) {
      return new Settings(
          errorRate,
          errorStatus,
          hang,
          disconnectAfterTokens,
          malformedAfterTokens,
          afterTokens,
          pause,
          pullStep,
          pullFailure,
          pullFailures);
    }

    public Settings withPullStep(Duration value) {
      return new Settings(
          errorRate,
          errorStatus,
          hang,
          disconnectAfterTokens,
          malformedAfterTokens,
          stallAfterTokens,
          stall,
          value,
          pullFailure,
          pullFailures);
    }

    public Settings withPullFailure(PullFailure kind, int count) {
      return new Settings(
          errorRate,
          errorStatus,
          hang,
          disconnectAfterTokens,
          malformedAfterTokens,
          stallAfterTokens,
          stall,
          pullStep,
          kind,
          count);
    }
  }

  private Settings settings = Settings.NONE;
  private CountDownLatch hangRelease = new CountDownLatch(0);
  private final AtomicLong errorCounter = new AtomicLong();

  /** The current switches. */
  public synchronized Settings settings() {
    return settings;
  }

  /**
   * Replaces all switches at once. A hang in {@code next} starts (or keeps) hanging; a zero hang
   * releases hanging requests.
   */
  public synchronized Faults apply(Settings next) {
    if (next.errorRate() != settings.errorRate()) {
      errorCounter.set(0);
    }
    if (next.hang().isZero()) {
      hangRelease.countDown();
    } else if (hangRelease.getCount() == 0) {
      hangRelease = new CountDownLatch(1);
    }
    settings = next;
    return this;
  }

  /** Answers {@code rate} of generation requests with {@code status} (rate 0 turns it off). */
  public synchronized Faults errorRate(double rate, int status) {
    errorCounter.set(0);
    return apply(settings.withErrorRate(rate, status));
  }

  /**
   * Makes generation requests hang after they got a slot, without sending any byte, until {@link
   * #liftHang()} or at most {@code max}; then they proceed normally.
   */
  public synchronized Faults hang(Duration max) {
    return apply(settings.withHang(max));
  }

  /** Releases every hanging request at once and turns the hang off. */
  public synchronized Faults liftHang() {
    return apply(settings.withHang(Duration.ZERO));
  }

  /** Drops the connection of a generation request after {@code tokens} tokens ({@link #OFF}). */
  public synchronized Faults disconnectAfterTokens(int tokens) {
    return apply(settings.withDisconnectAfterTokens(tokens));
  }

  /** Writes one malformed line after {@code tokens} tokens ({@link #OFF}). */
  public synchronized Faults malformedLineAfterTokens(int tokens) {
    return apply(settings.withMalformedAfterTokens(tokens));
  }

  /** Pauses for {@code pause} after {@code tokens} tokens ({@link #OFF} turns it off). */
  public synchronized Faults stallAfterTokens(int tokens, Duration pause) {
    return apply(settings.withStall(tokens, pause));
  }

  /** Pauses {@code perLine} before each pull progress line ({@link Duration#ZERO} = normal). */
  public synchronized Faults slowPull(Duration perLine) {
    return apply(settings.withPullStep(perLine));
  }

  /** Makes every pull fail the given way ({@link PullFailure#NONE} turns it off). */
  public synchronized Faults failPulls(PullFailure kind) {
    return apply(settings.withPullFailure(kind, OFF));
  }

  /** Makes the next {@code count} pulls fail the given way; later pulls succeed. */
  public synchronized Faults failPulls(PullFailure kind, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count " + count + " must be zero or more");
    }
    return apply(settings.withPullFailure(kind, count));
  }

  /** Turns every fault off and releases hanging requests. */
  public synchronized Faults clear() {
    errorCounter.set(0);
    return apply(Settings.NONE);
  }

  /** Decides whether the next generation request gets an injected error status. */
  boolean nextRequestFails() {
    double rate = settings().errorRate();
    if (rate <= 0) {
      return false;
    }
    long n = errorCounter.getAndIncrement();
    return Math.floor((n + 1) * rate) > Math.floor(n * rate);
  }

  /** How the pull starting now fails; counts it against a limited number of failing pulls. */
  synchronized PullFailure nextPullFailure() {
    PullFailure kind = settings.pullFailure();
    int left = settings.pullFailures();
    if (kind == PullFailure.NONE || left == 0) {
      return PullFailure.NONE;
    }
    if (left > 0) {
      settings = settings.withPullFailure(kind, left - 1);
    }
    return kind;
  }

  /** Blocks while the hang fault is on, at most its duration; returns at once when it is off. */
  void awaitHangLifted() throws InterruptedException {
    CountDownLatch release;
    Duration max;
    synchronized (this) {
      release = hangRelease;
      max = settings.hang();
    }
    if (!max.isZero()) {
      release.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
