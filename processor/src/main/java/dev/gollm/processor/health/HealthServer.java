package dev.gollm.processor.health;

import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.json.Json;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's probe and scrape endpoints on HEALTH_ADDR: {@code /health} (liveness), {@code
 * /ready} (200 only while every dependency was reached recently), {@code /metrics} (the original
 * JSON figures, or Prometheus text when the Accept header asks for it) and {@code
 * /metrics/prometheus}, on a {@link ProbeServer}. Exposes nothing secret.
 */
public final class HealthServer implements AutoCloseable {
  /** The service name /health reports. */
  public static final String SERVICE = "go-llm-processor";

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  /** Who is answering: shown by /health and /ready. */
  public record Identity(String version, String processorId) {}

  private final Identity identity;
  private final Reachability reachability;
  private final ReadinessCheck extraReadiness;
  private final ProcessorMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final Runnable beforeScrape;
  private final Clock clock;
  private ProbeServer server;

  private HealthServer(
      Identity identity,
      Reachability reachability,
      ReadinessCheck extraReadiness,
      ProcessorMetrics metrics,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape,
      Clock clock) {
    this.identity = identity;
    this.reachability = reachability;
    this.extraReadiness = extraReadiness;
    this.metrics = metrics;
    this.registry = registry;
    this.beforeScrape = beforeScrape;
    this.clock = clock;
  }

  /**
   * Binds {@code address} (an empty host means every interface, port 0 a free port) and starts
   * serving. {@code extraReadiness} adds reasons for /ready beyond unreachable dependencies, such
   * as "shutting down". {@code beforeScrape} runs before each Prometheus scrape (it binds the JVM's
   * meters at the first).
   */
  public static HealthServer start(
      ListenAddress address,
      Identity identity,
      Reachability reachability,
      ReadinessCheck extraReadiness,
      ProcessorMetrics metrics,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape,
      Clock clock)
      throws IOException {
    InetSocketAddress bind =
        address.host().isEmpty()
            ? new InetSocketAddress(address.port())
            : new InetSocketAddress(address.host(), address.port());
    if (bind.isUnresolved()) {
      throw new IOException("cannot resolve the host of HEALTH_ADDR " + address);
    }
    HealthServer health =
        new HealthServer(
            identity, reachability, extraReadiness, metrics, registry, beforeScrape, clock);
    try {
      health.server = ProbeServer.start(bind, health::handle);
    } catch (IOException e) {
      throw new IOException("cannot listen on HEALTH_ADDR " + address + ": " + e.getMessage(), e);
    }
    log.info(
        "health server listening on {}:{}",
        address.host().isEmpty() ? "*" : address.host(),
        health.port());
    return health;
  }

  /** The port actually bound (useful when HEALTH_ADDR asked for port 0). */
  public int port() {
    return server.port();
  }

  private ProbeServer.Response handle(ProbeServer.Request request) {
    String path = request.path();
    boolean known =
        switch (path) {
          case "/health", "/ready", "/metrics", "/metrics/prometheus" -> true;
          default -> false;
        };
    if (!known) {
      return json(404, ordered("error", "not found", "path", path));
    }
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new ProbeServer.Response(
          405,
          "application/json",
          Json.write(ordered("error", "method not allowed", "allowed", "GET, HEAD")),
          Map.of("Allow", "GET, HEAD", "Cache-Control", "no-store"));
    }
    MetricsFormat asked = MetricsFormat.forAccept(request.header("Accept"));
    return switch (path) {
      case "/health" -> json(200, health());
      case "/ready" -> ready();
      case "/metrics" -> metrics(asked);
      default ->
          metrics(
              asked == MetricsFormat.OPENMETRICS
                  ? MetricsFormat.OPENMETRICS
                  : MetricsFormat.PROMETHEUS_TEXT);
    };
  }

  private Map<String, Object> health() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("timestamp", rfc3339(clock.instant()));
    body.put("service", SERVICE);
    body.put("version", identity.version());
    body.put("processor_id", identity.processorId());
    return body;
  }

  private ProbeServer.Response ready() {
    List<String> reasons = new ArrayList<>(extraReadiness.problems());
    reasons.addAll(reachability.problems());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", reasons.isEmpty() ? "ready" : "not_ready");
    if (!reasons.isEmpty()) {
      body.put("reasons", reasons);
    }
    body.put("timestamp", rfc3339(clock.instant()));
    body.put("processor_id", identity.processorId());
    body.putAll(reachability.details());
    return json(reasons.isEmpty() ? 200 : 503, body);
  }

  private ProbeServer.Response metrics(MetricsFormat format) {
    if (format == MetricsFormat.JSON) {
      ProcessorMetrics.Snapshot s = metrics.snapshot();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tasks_processed", s.tasksProcessed());
      body.put("tasks_completed", s.tasksCompleted());
      body.put("tasks_failed", s.tasksFailed());
      body.put("tasks_retried", s.tasksRetried());
      body.put("tasks_requeued", s.tasksRequeued());
      body.put("avg_process_time_ms", s.avgProcessTimeMs());
      body.put("last_update", rfc3339(s.lastUpdate()));
      body.putAll(metrics.jsonSections());
      return json(200, body);
    }
    beforeScrape.run();
    byte[] text = registry.scrape(format.contentType()).getBytes(StandardCharsets.UTF_8);
    return new ProbeServer.Response(200, format.contentType(), text, NO_STORE);
  }

  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  private static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static ProbeServer.Response json(int status, Object body) {
    return new ProbeServer.Response(status, "application/json", Json.write(body), NO_STORE);
  }

  /** Stops listening and ends the connections still open. */
  @Override
  public void close() {
    server.close();
  }
}
