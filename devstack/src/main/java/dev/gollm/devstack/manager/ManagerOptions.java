package dev.gollm.devstack.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Settings of a {@link ManagerServer}. The defaults are the real manager's: stale heartbeat 5 min
 * for cleanup, steal threshold 60 s from owners holding more than 5 tasks, no periodic cleanup, the
 * manager's SSE clamps. Tests use {@link #builder()} and shorten what they need.
 *
 * @param host address to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port port to bind; 0 lets the OS choose
 * @param database SQLite file; null for a temporary file deleted on close
 * @param apiKey the {@code INTERNAL_API_KEY} every internal request must present
 * @param staleAfter cleanup requeues or fails processing tasks whose heartbeat is older
 * @param stealAfter work-steal takes tasks whose heartbeat is older
 * @param stealOwnerMinimum work-steal takes only from owners holding more than this many tasks
 * @param cleanupInterval period of an automatic cleanup; null or zero for none (the manager's way)
 * @param relaxSseClamps let task-stream heartbeat and maxDuration go down to 10 ms
 * @param sseBufferSize events buffered per SSE connection before new ones are dropped
 * @param recordCompleteCalls keep every complete call for {@link ManagerServer#completeCalls()}
 * @param hangLimit longest a hang fault holds one request
 * @param faultSeed seed for fault rates, null for a random one
 * @param clock source of the timestamps written to the database and the wire
 */
public record ManagerOptions(
    String host,
    int port,
    Path database,
    String apiKey,
    Duration staleAfter,
    Duration stealAfter,
    int stealOwnerMinimum,
    Duration cleanupInterval,
    boolean relaxSseClamps,
    int sseBufferSize,
    boolean recordCompleteCalls,
    Duration hangLimit,
    Long faultSeed,
    InstantSource clock) {
  /** The manager's default internal API key. */
  public static final String DEFAULT_API_KEY = "dev-internal-key";

  public ManagerOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(stealAfter, "stealAfter");
    Objects.requireNonNull(hangLimit, "hangLimit");
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("apiKey must not be empty");
    }
    requireNotNegative("staleAfter", staleAfter);
    requireNotNegative("stealAfter", stealAfter);
    requireNotNegative("hangLimit", hangLimit);
    if (cleanupInterval != null) {
      requireNotNegative("cleanupInterval", cleanupInterval);
    }
    if (stealOwnerMinimum < 0) {
      throw new IllegalArgumentException(
          "stealOwnerMinimum must be >= 0, got " + stealOwnerMinimum);
    }
    if (sseBufferSize < 1) {
      throw new IllegalArgumentException("sseBufferSize must be >= 1, got " + sseBufferSize);
    }
  }

  private static void requireNotNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }

  /** The defaults: port 0 on 127.0.0.1, temporary database, key {@value #DEFAULT_API_KEY}. */
  public static ManagerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a periodic cleanup is configured. */
  public boolean periodicCleanup() {
    return cleanupInterval != null && !cleanupInterval.isZero();
  }

  /** A copy of these options as a builder. */
  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .database(database)
        .apiKey(apiKey)
        .staleAfter(staleAfter)
        .stealAfter(stealAfter)
        .stealOwnerMinimum(stealOwnerMinimum)
        .cleanupInterval(cleanupInterval)
        .relaxSseClamps(relaxSseClamps)
        .sseBufferSize(sseBufferSize)
        .recordCompleteCalls(recordCompleteCalls)
        .hangLimit(hangLimit)
        .faultSeed(faultSeed)
        .clock(clock);
  }

  /** Builds {@link ManagerOptions}; every setter has the manager's default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Path database;
    private String apiKey = DEFAULT_API_KEY;
    private Duration staleAfter = Duration.ofMinutes(5);
    private Duration stealAfter = Duration.ofSeconds(60);
    private int stealOwnerMinimum = 5;
    private Duration cleanupInterval;
    private boolean relaxSseClamps;
    private int sseBufferSize = 10;
    private boolean recordCompleteCalls = true;
    private Duration hangLimit = Duration.ofMinutes(10);
    private Long faultSeed;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder database(Path value) {
      database = value;
      return this;
    }

    public Builder apiKey(String value) {
      apiKey = value;
      return this;
    }

    public Builder staleAfter(Duration value) {
      staleAfter = value;
      return this;
    }

    public Builder stealAfter(Duration value) {
      stealAfter = value;
      return this;
    }

    public Builder stealOwnerMinimum(int value) {
      stealOwnerMinimum = value;
      return this;
    }

    public Builder cleanupInterval(Duration value) {
      cleanupInterval = value;
      return this;
    }

    public Builder relaxSseClamps(boolean value) {
      relaxSseClamps = value;
      return this;
    }

    public Builder sseBufferSize(int value) {
      sseBufferSize = value;
      return this;
    }

    public Builder recordCompleteCalls(boolean value) {
      recordCompleteCalls = value;
      return this;
    }

    public Builder hangLimit(Duration value) {
      hangLimit = value;
      return this;
    }

    public Builder faultSeed(Long value) {
      faultSeed = value;
      return this;
    }

    public Builder clock(InstantSource value) {
      clock = value;
      return this;
    }

    public ManagerOptions build() {
      return new ManagerOptions(
          host,
          port,
          database,
          apiKey,
          staleAfter,
          stealAfter,
          stealOwnerMinimum,
          cleanupInterval,
          relaxSseClamps,
          sseBufferSize,
          recordCompleteCalls,
          hangLimit,
          faultSeed,
          clock);
    }
  }
}
