package dev.gollm.processor.intake.sse;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.schedule.Durations;
import dev.gollm.processor.sse.SseEventParser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What the task-stream connection needs, as plain values. {@link #toString()} hides the API key.
 *
 * @param managerBase the manager's base address (WORKER_URL), e.g. {@code http://wrangler:8080}
 * @param endpoint the stream's path (SSE_ENDPOINT), e.g. {@code /api/internal/task-stream}
 * @param heartbeatInterval asked of the server (SSE_HEARTBEAT_INTERVAL); it clamps to 5..20 s
 * @param heartbeatTimeout no byte for this long ends the connection (SSE_HEARTBEAT_TIMEOUT)
 * @param maxDuration asked of the server (SSE_MAX_DURATION); the client leaves a little earlier
 * @param reconnectInterval the first reconnect delay after a failure (SSE_RECONNECT_INTERVAL)
 * @param maxReconnectDelay the cap of the exponential reconnect backoff
 * @param maxReconnectAttempts failures in a row before push is reported lost
 * @param maxLineBytes the longest accepted event-stream line
 * @param connectTimeout bounds the TCP connect and the wait for response headers
 */
public record SseSettings(
    URI managerBase,
    String endpoint,
    String processorId,
    String apiKey,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration maxDuration,
    Duration reconnectInterval,
    Duration maxReconnectDelay,
    int maxReconnectAttempts,
    int maxLineBytes,
    Duration connectTimeout) {

  /** The default cap of the reconnect backoff, unless the reconnect interval is longer still. */
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(60);

  private static final Duration MAX_EARLY_LEAVE = Duration.ofSeconds(5);

  public SseSettings {
    Objects.requireNonNull(managerBase, "managerBase");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(processorId, "processorId");
    Objects.requireNonNull(apiKey, "apiKey");
    String scheme = managerBase.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || managerBase.getHost() == null) {
      throw new IllegalArgumentException(
          "managerBase: expected an absolute http(s) URI like http://host:8080, got "
              + managerBase);
    }
    if (apiKey.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      // The key itself never goes into a message.
      throw new IllegalArgumentException(
          "apiKey: expected printable characters only; it contains a control character");
    }
    if (processorId.isBlank()) {
      throw new IllegalArgumentException("processorId: expected a non-blank id");
    }
    positive("heartbeatInterval", heartbeatInterval);
    positive("heartbeatTimeout", heartbeatTimeout);
    positive("maxDuration", maxDuration);
    positive("reconnectInterval", reconnectInterval);
    positive("connectTimeout", connectTimeout);
    Objects.requireNonNull(maxReconnectDelay, "maxReconnectDelay");
    if (maxReconnectDelay.compareTo(reconnectInterval) < 0) {
      throw new IllegalArgumentException(
          "maxReconnectDelay: expected at least reconnectInterval ("
              + reconnectInterval
              + "), got "
              + maxReconnectDelay);
    }
    if (maxReconnectAttempts < 1) {
      throw new IllegalArgumentException(
          "maxReconnectAttempts: expected at least 1, got " + maxReconnectAttempts);
    }
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes: expected at least 1, got " + maxLineBytes);
    }
  }

  /** Settings from the processor's configuration, with the default line bound. */
  public static SseSettings from(ProcessorConfig config) {
    return new SseSettings(
        config.workerUrl(),
        config.sseEndpoint(),
        config.processorId(),
        config.internalApiKey().value(),
        config.sseHeartbeatInterval(),
        config.sseHeartbeatTimeout(),
        config.sseMaxDuration(),
        config.sseReconnectInterval(),
        max(config.sseReconnectInterval(), DEFAULT_MAX_RECONNECT_DELAY),
        config.sseMaxReconnectAttempts(),
        SseEventParser.DEFAULT_MAX_LINE_BYTES,
        config.managerTimeout());
  }

  /** The stream's address with processor_id, heartbeat and maxDuration (milliseconds). */
  public URI streamUri() {
    String base = managerBase.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String path = endpoint.startsWith("/") ? endpoint : "/" + endpoint;
    return URI.create(
        base
            + path
            + "?processor_id="
            + URLEncoder.encode(processorId, StandardCharsets.UTF_8).replace("+", "%20")
            + "&heartbeat="
            + heartbeatInterval.toMillis()
            + "&maxDuration="
            + maxDuration.toMillis());
  }

  /**
   * When the client ends a connection itself: a little before maxDuration, so it never relies on
   * the server's error event (which arrives only at the next heartbeat tick after maxDuration).
   */
  public Duration clientMaxDuration() {
    Duration early = Durations.dividedBy(maxDuration, 10);
    return maxDuration.minus(early.compareTo(MAX_EARLY_LEAVE) < 0 ? early : MAX_EARLY_LEAVE);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return "SseSettings[stream="
        + streamUri()
        + ", apiKey=****, heartbeatTimeout="
        + heartbeatTimeout
        + ", reconnectInterval="
        + reconnectInterval
        + ", maxReconnectDelay="
        + maxReconnectDelay
        + ", maxReconnectAttempts="
        + maxReconnectAttempts
        + ", maxLineBytes="
        + maxLineBytes
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": expected a positive duration, got " + value);
    }
  }
}
