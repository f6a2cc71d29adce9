package dev.gollm.processor.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.health.Reachability.Dependency;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.metrics.JvmMeters;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The health server's endpoints over real HTTP on a free port. */
class HealthServerTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProcessorMetrics metrics = new ProcessorMetrics(registry, clock);
  private final Reachability reachability = new Reachability(clock, Duration.ofMinutes(1));
  private final List<String> extraProblems = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JvmMeters jvmMeters = new JvmMeters(registry);
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        HealthServer.start(
            new ListenAddress("127.0.0.1", 0),
            new HealthServer.Identity("1.2.3", "proc-test"),
            reachability,
            () -> List.copyOf(extraProblems),
            metrics,
            registry,
            jvmMeters::bindOnce,
            clock);
  }

  @AfterEach
  void stop() {
    jvmMeters.close();
    server.close();
    client.close();
    registry.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  @Test
  void bindsTheFreePortTheSystemChose() {
    assertThat(server.port()).isPositive();
  }

  @Test
  void healthReportsLivenessAndIdentity() throws Exception {
    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("status").asString()).isEqualTo("ok");
    assertThat(body.get("service").asString()).isEqualTo("go-llm-processor");
    assertThat(body.get("version").asString()).isEqualTo("1.2.3");
    assertThat(body.get("processor_id").asString()).isEqualTo("proc-test");
    assertThat(body.get("timestamp").asString()).isEqualTo("2025-01-02T03:04:05Z");
  }

  @Test
  void readyIs503WithReasonsWhileNothingWasReached() throws Exception {
    HttpResponse<String> response = get("/ready");

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("status").asString()).isEqualTo("not_ready");
    assertThat(texts(body.get("reasons")))
        .containsExactly("manager: not reached yet", "ollama: not reached yet");
  }

  @Test
  void readyNamesTheFailureOfAnUnreachableDependency() throws Exception {
    reachability.succeeded(Dependency.MANAGER);
    reachability.failed(Dependency.OLLAMA, "connection refused");

    JsonNode body = JSON.readTree(get("/ready").body());

    assertThat(texts(body.get("reasons"))).containsExactly("ollama: connection refused");
  }

  @Test
  void readyAndJsonMetricsCarryTheSectionsPartsAddedAboutThemselves() throws Exception {
    reachability.detail(
        "llm_endpoints", () -> List.of(Map.of("url", "http://gpu1", "state", "up")));
    metrics.jsonSection("llm_endpoints", () -> List.of(Map.of("url", "http://gpu1")));

    JsonNode ready = JSON.readTree(get("/ready").body());
    JsonNode json = JSON.readTree(get("/metrics").body());

    assertThat(ready.path("llm_endpoints").get(0).path("state").asString()).isEqualTo("up");
    assertThat(json.path("llm_endpoints").get(0).path("url").asString()).isEqualTo("http://gpu1");
    assertThat(json.has("tasks_processed")).isTrue();
  }

  @Test
  void readyIs200OnceEveryDependencyAnswered() throws Exception {
    reachability.succeeded(Dependency.MANAGER);
    reachability.succeeded(Dependency.OLLAMA);

    HttpResponse<String> response = get("/ready");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("status").asString()).isEqualTo("ready");
    assertThat(body.has("reasons")).isFalse();
  }

  @Test
  void readyAddsTheExtraCheckReasons() throws Exception {
    reachability.succeeded(Dependency.MANAGER);
    reachability.succeeded(Dependency.OLLAMA);
    extraProblems.add("shutting down");

    HttpResponse<String> response = get("/ready");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(texts(JSON.readTree(response.body()).get("reasons")))
        .containsExactly("shutting down");
  }

  @Test
  void metricsAnswersTheOriginalJsonFigures() throws Exception {
    metrics.taskCompleted(Duration.ofMillis(200));
    metrics.taskFailed(Outcome.Kind.REJECTED, Duration.ofMillis(400));
    metrics.taskRetried(LlmException.Failure.TIMEOUT);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("tasks_processed").asLong()).isEqualTo(2);
    assertThat(body.get("tasks_completed").asLong()).isEqualTo(1);
    assertThat(body.get("tasks_failed").asLong()).isEqualTo(1);
    assertThat(body.get("tasks_retried").asLong()).isEqualTo(1);
    assertThat(body.get("avg_process_time_ms").asDouble()).isEqualTo(300.0);
    assertThat(body.get("last_update").asString()).isEqualTo("2025-01-02T03:04:05Z");
  }

  @Test
  void metricsAnswersPrometheusTextWhenAskedForIt() throws Exception {
    metrics.taskCompleted(Duration.ofMillis(200));

    HttpResponse<String> response = get("/metrics", "Accept", "text/plain;version=0.0.4;q=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).startsWith("text/plain; version=0.0.4");
    assertThat(response.body())
        .contains("# TYPE processor_tasks_completed_total counter")
        .contains("processor_tasks_completed_total 1.0");
  }

  @Test
  void metricsAnswersOpenMetricsToAPrometheusScrape() throws Exception {
    HttpResponse<String> response =
        get(
            "/metrics",
            "Accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(contentType(response)).startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("processor_tasks_processed_total").endsWith("# EOF\n");
  }

  @Test
  void theJvmsOwnMetersAreBoundAtTheFirstScrape() throws Exception {
    assertThat(registry.find("jvm.memory.used").meters()).isEmpty();

    HttpResponse<String> response = get("/metrics/prometheus");

    assertThat(response.body()).contains("jvm_memory_used_bytes").contains("process_uptime");
  }

  @Test
  void metricsPrometheusPathAlwaysAnswersPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).startsWith("text/plain; version=0.0.4");
    assertThat(response.body()).contains("processor_tasks_failed_total 0.0");
  }

  @Test
  void unknownPathIs404Json() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("not found");
  }

  @Test
  void onlyGetAndHeadAreAllowed() throws Exception {
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> head =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .HEAD()
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asString()));
    return texts;
  }
}
