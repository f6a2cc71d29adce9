package dev.gollm.processor.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processor's probe and scrape endpoints on HEALTH_ADDR: {@code /health} (liveness), {@code
 * /ready} (200 only while every dependency was reached recently), {@code /metrics} (the original
 * JSON figures, or Prometheus text when the Accept header asks for it) and {@code
 * /metrics/prometheus}. Serves each request on a virtual thread; exposes nothing secret.
 */
public final class HealthServer implements AutoCloseable {
  /** The service name /health reports. */
  public static final String SERVICE = "go-llm-processor";

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
  private static final JsonMapper JSON = JsonMapper.shared();

  /** Who is answering: shown by /health and /ready. */
  public record Identity(String version, String processorId) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Identity identity;
  private final Reachability reachability;
  private final ReadinessCheck extraReadiness;
  private final ProcessorMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;

  private HealthServer(
      HttpServer server,
      ExecutorService executor,
      Identity identity,
      Reachability reachability,
      ReadinessCheck extraReadiness,
      ProcessorMetrics metrics,
      PrometheusMeterRegistry registry,
      Clock clock) {
    this.server = server;
    this.executor = executor;
    this.identity = identity;
    this.reachability = reachability;
    this.extraReadiness = extraReadiness;
    this.metrics = metrics;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Binds {@code address} (an empty host means every interface, port 0 a free port) and starts
   * serving. {@code extraReadiness} adds reasons for /ready beyond unreachable dependencies, such
   * as "shutting down".
   */
  public static HealthServer start(
      ListenAddress address,
      Identity identity,
      Reachability reachability,
      ReadinessCheck extraReadiness,
      ProcessorMetrics metrics,
      PrometheusMeterRegistry registry,
      Clock clock)
      throws IOException {
    InetSocketAddress bind =
        address.host().isEmpty()
            ? new InetSocketAddress(address.port())
            : new InetSocketAddress(address.host(), address.port());
    if (bind.isUnresolved()) {
      throw new IOException("cannot resolve the host of HEALTH_ADDR " + address);
    }
    HttpServer server;
    try {
      server = HttpServer.create(bind, 0);
    } catch (IOException e) {
      throw new IOException("cannot listen on HEALTH_ADDR " + address + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HealthServer health =
        new HealthServer(
            server, executor, identity, reachability, extraReadiness, metrics, registry, clock);
    server.createContext("/", health::handle);
    server.setExecutor(executor);
    server.start();
    log.info(
        "health server listening on {}:{}",
        address.host().isEmpty() ? "*" : address.host(),
        health.port());
    return health;
  }

  /** The port actually bound (useful when HEALTH_ADDR asked for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known =
          switch (path) {
            case "/health", "/ready", "/metrics", "/metrics/prometheus" -> true;
            default -> false;
          };
      if (!known) {
        sendJson(exchange, 404, ordered("error", "not found", "path", path));
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendJson(exchange, 405, ordered("error", "method not allowed", "allowed", "GET, HEAD"));
        return;
      }
      switch (path) {
        case "/health" -> sendJson(exchange, 200, health());
        case "/ready" -> ready(exchange);
        case "/metrics" -> metrics(exchange, MetricsFormat.forAccept(accept(exchange)));
        default -> {
          MetricsFormat asked = MetricsFormat.forAccept(accept(exchange));
          metrics(
              exchange,
              asked == MetricsFormat.OPENMETRICS
                  ? MetricsFormat.OPENMETRICS
                  : MetricsFormat.PROMETHEUS_TEXT);
        }
      }
    } catch (IOException e) {
      // The client went away mid-answer; nothing left to do.
      log.debug("health request aborted: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("health request failed", e);
    }
  }

  private static String accept(HttpExchange exchange) {
    List<String> values = exchange.getRequestHeaders().get("Accept");
    return values == null ? null : String.join(",", values);
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

  private void ready(HttpExchange exchange) throws IOException {
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
    sendJson(exchange, reasons.isEmpty() ? 200 : 503, body);
  }

  private void metrics(HttpExchange exchange, MetricsFormat format) throws IOException {
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
      sendJson(exchange, 200, body);
      return;
    }
    byte[] text = registry.scrape(format.contentType()).getBytes(StandardCharsets.UTF_8);
    send(exchange, 200, format.contentType(), text);
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

  private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops listening, lets requests in flight finish briefly, and ends the request threads. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
