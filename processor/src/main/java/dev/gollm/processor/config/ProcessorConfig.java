package dev.gollm.processor.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The processor's effective, validated configuration. Built only by {@link ConfigLoader}, so every
 * value here has passed validation; the variable each field comes from is named in its comment.
 */
public record ProcessorConfig(
    URI ollamaUrl, // OLLAMA_URL (alias OLLAMA_HOST)
    URI workerUrl, // WORKER_URL: the manager
    ListenAddress healthAddr, // HEALTH_ADDR
    Duration pollInterval, // POLL_INTERVAL
    boolean pollingEnabled, // POLLING_ENABLED
    int maxRetries, // MAX_RETRIES
    Duration requestTimeout, // REQUEST_TIMEOUT: bounds one whole generation
    String modelName, // MODEL_NAME
    int workerCount, // WORKER_COUNT
    int queueSize, // QUEUE_SIZE: hard cap on locally waiting tasks
    String processorId, // PROCESSOR_ID
    Duration heartbeatInterval, // HEARTBEAT_INTERVAL
    int maxBatchSize, // MAX_BATCH_SIZE
    Secret internalApiKey, // INTERNAL_API_KEY
    boolean workStealingEnabled, // WORK_STEALING_ENABLED
    Duration workStealingInterval, // WORK_STEALING_INTERVAL
    int workStealingMaxCount, // WORK_STEALING_MAX_COUNT
    double workStealingMinCapacity, // WORK_STEALING_MIN_CAPACITY
    boolean sseEnabled, // SSE_ENABLED
    String sseEndpoint, // SSE_ENDPOINT
    Duration sseReconnectInterval, // SSE_RECONNECT_INTERVAL
    int sseMaxReconnectAttempts, // SSE_MAX_RECONNECT_ATTEMPTS
    Duration sseHeartbeatTimeout, // SSE_HEARTBEAT_TIMEOUT
    Duration sseHeartbeatInterval, // SSE_HEARTBEAT_INTERVAL
    Duration sseMaxDuration, // SSE_MAX_DURATION
    // Our own additions (documented in docs/configuration.md):
    int prefetch, // PREFETCH: tasks claimed beyond WORKER_COUNT; default WORKER_COUNT
    Duration shutdownGrace, // SHUTDOWN_GRACE: running tasks' time to finish on SIGTERM; 30s
    Duration
        cleanupInterval, // CLEANUP_INTERVAL: manager cleanup trigger; 10 x POLL_INTERVAL; 0 = off
    Duration safetyPollInterval, // SAFETY_POLL_INTERVAL: claim poll while SSE is up; 30s
    boolean llmStream, // LLM_STREAM: ask for streamed answers, a piece per token; false
    Duration streamIdleTimeout, // STREAM_IDLE_TIMEOUT: abort a stream silent this long; 20s
    Duration pullTimeout, // PULL_TIMEOUT: bounds a model pull, retries included; 30m
    Duration ollamaLoadTimeout, // OLLAMA_LOAD_TIMEOUT: bounds loading a model into memory; 5m
    Duration ollamaKeepAlive, // OLLAMA_KEEP_ALIVE: keep_alive sent to Ollama; negative = ever; 30m
    NumCtx ollamaNumCtx, // OLLAMA_NUM_CTX: server | auto | a number of tokens
    Duration managerTimeout, // MANAGER_TIMEOUT: bounds one manager call; 10s
    LogFormat logFormat, // LOG_FORMAT: text | json
    String logLevel, // LOG_LEVEL: trace | debug | info | warn | error
    LlmApi llmApi, // LLM_API: ollama | openai | auto
    Secret llmApiKey, // LLM_API_KEY: Bearer token for OpenAI-compatible servers; empty = none
    List<LlmEndpoint> llmEndpoints // LLM_ENDPOINTS: several servers; empty = OLLAMA_URL alone
    ) {

  public ProcessorConfig {
    llmEndpoints = List.copyOf(llmEndpoints);
  }

  /** INTERNAL_API_KEY's default: the manager's development key, known to anyone. */
  public static final String DEFAULT_INTERNAL_API_KEY = "dev-internal-key";

  /** Tasks the processor may hold at once (running plus waiting locally). */
  public int capacity() {
    return workerCount + prefetch;
  }

  /**
   * The LLM servers to use: LLM_ENDPOINTS, or OLLAMA_URL alone; a capacity left out is
   * WORKER_COUNT.
   */
  public List<LlmEndpoint> endpoints() {
    if (llmEndpoints.isEmpty()) {
      return List.of(new LlmEndpoint(ollamaUrl, workerCount));
    }
    return llmEndpoints.stream()
        .map(e -> e.capacity() > 0 ? e : new LlmEndpoint(e.url(), workerCount))
        .toList();
  }

  /** Which API the LLM servers speak. */
  public enum LlmApi {
    OLLAMA,
    OPENAI,
    AUTO
  }

  /**
   * One LLM server of LLM_ENDPOINTS.
   *
   * @param capacity generations it may run at once; 0 when not given (then WORKER_COUNT)
   */
  public record LlmEndpoint(URI url, int capacity) {
    /** As LLM_ENDPOINTS writes it. */
    @Override
    public String toString() {
      return capacity > 0 ? url + "*" + capacity : url.toString();
    }
  }

  /** How log lines are written. */
  public enum LogFormat {
    TEXT,
    JSON
  }

  /**
   * Who sets a generation's context window (Ollama's {@code num_ctx}).
   *
   * @param mode {@link Mode#SERVER}: Ollama does (OLLAMA_CONTEXT_LENGTH, the model's own setting);
   *     {@link Mode#AUTO}: the processor, large enough for the prompt and the answer; {@link
   *     Mode#FIXED}: always {@code tokens}
   * @param tokens the fixed window; 0 for the other modes
   */
  public record NumCtx(Mode mode, int tokens) {
    /** Ollama decides. */
    public static final NumCtx SERVER = new NumCtx(Mode.SERVER, 0);

    /** The processor sizes the window for each prompt. */
    public static final NumCtx AUTO = new NumCtx(Mode.AUTO, 0);

    /** The ways to set the window. */
    public enum Mode {
      SERVER,
      AUTO,
      FIXED
    }

    public NumCtx {
      if ((mode == Mode.FIXED) != (tokens > 0)) {
        throw new IllegalArgumentException(
            "a fixed context window needs tokens > 0, the others 0; got " + mode + " " + tokens);
      }
    }

    /** A fixed window of {@code tokens}. */
    public static NumCtx fixed(int tokens) {
      return new NumCtx(Mode.FIXED, tokens);
    }

    /** As OLLAMA_NUM_CTX is written: "server", "auto" or the number. */
    @Override
    public String toString() {
      return mode == Mode.FIXED ? String.valueOf(tokens) : mode.name().toLowerCase(Locale.ROOT);
    }
  }

  /** A host and port to listen on; an empty host means every interface. */
  public record ListenAddress(String host, int port) {
    /** As HEALTH_ADDR is written: "host:port", with an IPv6 host in brackets. */
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** A secret value that never prints itself. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return "****";
    }
  }
}
