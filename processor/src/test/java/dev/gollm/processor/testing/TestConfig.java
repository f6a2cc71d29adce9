package dev.gollm.processor.testing;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.config.ProcessorConfig.Secret;
import dev.gollm.processor.config.ProcessorPolicy;
import dev.gollm.processor.config.ProcessorPolicy.BackoffLimits;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A processor configuration and policy for tests: fast cadences and short backoffs, loopback
 * endpoints, adjustable fields.
 */
public final class TestConfig {
  public URI ollamaUrl;
  public URI workerUrl;
  public Duration pollInterval = Duration.ofMillis(200);
  public boolean pollingEnabled = true;
  public int maxRetries = 3;
  public Duration requestTimeout = Duration.ofSeconds(10);
  public String modelName = "gemma2:1b";
  public int workerCount = 4;
  public int queueSize = 100;
  public String processorId = "proc-test";
  public Duration heartbeatInterval = Duration.ofMillis(500);
  public int maxBatchSize = 5;
  public String apiKey = "dev-internal-key";
  public boolean workStealingEnabled = false;
  public Duration workStealingInterval = Duration.ofSeconds(1);
  public int workStealingMaxCount = 2;
  public double workStealingMinCapacity = 0.3;
  public boolean sseEnabled = false;
  public Duration sseReconnectInterval = Duration.ofMillis(100);
  public int sseMaxReconnectAttempts = 3;
  public Duration sseHeartbeatTimeout = Duration.ofSeconds(3);
  public Duration sseHeartbeatInterval = Duration.ofSeconds(1);
  public Duration sseMaxDuration = Duration.ofHours(1);
  public int prefetch = -1; // -1: WORKER_COUNT
  public Duration shutdownGrace = Duration.ofSeconds(5);
  public Duration cleanupInterval = Duration.ZERO;
  public Duration safetyPollInterval = Duration.ofSeconds(30);
  public boolean llmStream = false;
  public Duration streamIdleTimeout = Duration.ofSeconds(5);
  public Duration pullTimeout = Duration.ofSeconds(30);
  public Duration loadTimeout = Duration.ofSeconds(30);
  public Duration keepAlive = Duration.ofMinutes(30);
  public NumCtx numCtx = NumCtx.SERVER;
  // Long, so that a call slowed by a busy machine is not abandoned after the manager acted on it
  // (a claim the processor never hears of strands its tasks until the manager's cleanup).
  public Duration managerTimeout = Duration.ofSeconds(30);
  public ProcessorConfig.LlmApi llmApi = ProcessorConfig.LlmApi.OLLAMA;
  public String llmApiKey = "";
  public List<ProcessorConfig.LlmEndpoint> llmEndpoints = List.of();

  // The policy
  public BackoffLimits generationBackoff =
      new BackoffLimits(Duration.ofMillis(50), Duration.ofSeconds(1));
  public BackoffLimits reportBackoff =
      new BackoffLimits(Duration.ofMillis(50), Duration.ofSeconds(1));
  public BackoffLimits claimErrorBackoff =
      new BackoffLimits(Duration.ofMillis(100), Duration.ofSeconds(1));
  public Duration reportDeadline = Duration.ofSeconds(10);

  public TestConfig(URI workerUrl, URI ollamaUrl) {
    this.workerUrl = workerUrl;
    this.ollamaUrl = ollamaUrl;
  }

  public ProcessorConfig build() {
    return new ProcessorConfig(
        ollamaUrl,
        workerUrl,
        new ListenAddress("127.0.0.1", 0),
        pollInterval,
        pollingEnabled,
        maxRetries,
        requestTimeout,
        modelName,
        workerCount,
        queueSize,
        processorId,
        heartbeatInterval,
        maxBatchSize,
        new Secret(apiKey),
        workStealingEnabled,
        workStealingInterval,
        workStealingMaxCount,
        workStealingMinCapacity,
        sseEnabled,
        "/api/internal/task-stream",
        sseReconnectInterval,
        sseMaxReconnectAttempts,
        sseHeartbeatTimeout,
        sseHeartbeatInterval,
        sseMaxDuration,
        prefetch < 0 ? workerCount : prefetch,
        shutdownGrace,
        cleanupInterval,
        safetyPollInterval,
        llmStream,
        streamIdleTimeout,
        pullTimeout,
        loadTimeout,
        keepAlive,
        numCtx,
        managerTimeout,
        LogFormat.TEXT,
        "info",
        llmApi,
        new Secret(llmApiKey),
        llmEndpoints);
  }

  /** The policy: the configuration's plus this test's delays, as {@link #policyProperties()}. */
  public ProcessorPolicy policy() {
    return ProcessorPolicy.from(build(), policyProperties()::get);
  }

  /** This test's delays as the system properties that set them in a processor JVM. */
  public Map<String, String> policyProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    backoff(properties, "generationBackoff", generationBackoff);
    backoff(properties, "reportBackoff", reportBackoff);
    backoff(properties, "claimErrorBackoff", claimErrorBackoff);
    properties.put(ProcessorPolicy.PROPERTY_PREFIX + "reportDeadline", go(reportDeadline));
    return properties;
  }

  private static void backoff(Map<String, String> properties, String field, BackoffLimits limits) {
    properties.put(ProcessorPolicy.PROPERTY_PREFIX + field + ".base", go(limits.base()));
    properties.put(ProcessorPolicy.PROPERTY_PREFIX + field + ".cap", go(limits.cap()));
  }

  /**
   * The same configuration as environment variables, for a processor started as its own process;
   * the health server listens on a free loopback port. The policy goes along as {@code -D} options
   * in JDK_JAVA_OPTIONS, which the {@code java} launcher reads (and notes on standard error), so
   * the child runs on this test's delays whichever helper starts it.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OLLAMA_URL", ollamaUrl.toString());
    env.put("WORKER_URL", workerUrl.toString());
    env.put("HEALTH_ADDR", "127.0.0.1:0");
    env.put("POLL_INTERVAL", go(pollInterval));
    env.put("POLLING_ENABLED", String.valueOf(pollingEnabled));
    env.put("MAX_RETRIES", String.valueOf(maxRetries));
    env.put("REQUEST_TIMEOUT", go(requestTimeout));
    env.put("MODEL_NAME", modelName);
    env.put("WORKER_COUNT", String.valueOf(workerCount));
    env.put("QUEUE_SIZE", String.valueOf(queueSize));
    env.put("PROCESSOR_ID", processorId);
    env.put("HEARTBEAT_INTERVAL", go(heartbeatInterval));
    env.put("MAX_BATCH_SIZE", String.valueOf(maxBatchSize));
    env.put("INTERNAL_API_KEY", apiKey);
    env.put("WORK_STEALING_ENABLED", String.valueOf(workStealingEnabled));
    env.put("WORK_STEALING_INTERVAL", go(workStealingInterval));
    env.put("WORK_STEALING_MAX_COUNT", String.valueOf(workStealingMaxCount));
    env.put("WORK_STEALING_MIN_CAPACITY", String.valueOf(workStealingMinCapacity));
    env.put("SSE_ENABLED", String.valueOf(sseEnabled));
    env.put("SSE_RECONNECT_INTERVAL", go(sseReconnectInterval));
    env.put("SSE_MAX_RECONNECT_ATTEMPTS", String.valueOf(sseMaxReconnectAttempts));
    env.put("SSE_HEARTBEAT_TIMEOUT", go(sseHeartbeatTimeout));
    env.put("SSE_HEARTBEAT_INTERVAL", go(sseHeartbeatInterval));
    env.put("SSE_MAX_DURATION", go(sseMaxDuration));
    env.put("PREFETCH", String.valueOf(prefetch < 0 ? workerCount : prefetch));
    env.put("SHUTDOWN_GRACE", go(shutdownGrace));
    env.put("CLEANUP_INTERVAL", go(cleanupInterval));
    env.put("SAFETY_POLL_INTERVAL", go(safetyPollInterval));
    env.put("LLM_STREAM", String.valueOf(llmStream));
    env.put("STREAM_IDLE_TIMEOUT", go(streamIdleTimeout));
    env.put("PULL_TIMEOUT", go(pullTimeout));
    env.put("OLLAMA_LOAD_TIMEOUT", go(loadTimeout));
    env.put("OLLAMA_KEEP_ALIVE", go(keepAlive));
    env.put("OLLAMA_NUM_CTX", numCtx.toString());
    env.put("MANAGER_TIMEOUT", go(managerTimeout));
    env.put("LOG_FORMAT", "text");
    env.put("LOG_LEVEL", "info");
    env.put("LLM_API", llmApi.name().toLowerCase(java.util.Locale.ROOT));
    env.put("LLM_API_KEY", llmApiKey);
    env.put(
        "LLM_ENDPOINTS",
        String.join(
            ",", llmEndpoints.stream().map(ProcessorConfig.LlmEndpoint::toString).toList()));
    env.put(
        "JDK_JAVA_OPTIONS",
        policyProperties().entrySet().stream()
            .map(p -> "-D" + p.getKey() + "=" + p.getValue())
            .collect(Collectors.joining(" ")));
    return env;
  }

  private static String go(Duration d) {
    return d.toMillis() + "ms";
  }
}
