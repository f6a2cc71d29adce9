package dev.gollm.processor.config;

import static dev.gollm.processor.config.ValueTypes.bool;
import static dev.gollm.processor.config.ValueTypes.duration;
import static dev.gollm.processor.config.ValueTypes.fraction;
import static dev.gollm.processor.config.ValueTypes.httpUrl;
import static dev.gollm.processor.config.ValueTypes.integer;
import static dev.gollm.processor.config.ValueTypes.word;

import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.config.ProcessorConfig.Secret;
import dev.gollm.processor.schedule.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The table of every configuration variable: the original processor's 25 (with the seed README's
 * defaults) followed by ours. Loading, `processor config` and docs/configuration.md's table all
 * come from here.
 */
final class ConfigVariables {
  private ConfigVariables() {}

  // The original processor's variables, in the seed README's order.
  static final Variable<URI> OLLAMA_URL =
      new Variable<>(
          "OLLAMA_URL",
          List.of("OLLAMA_HOST"),
          ValueTypes.ollamaUrl(),
          literal("http://ollama:11434"),
          "Ollama API base URL. OLLAMA_HOST is accepted as an alias (OLLAMA_URL wins if both are"
              + " set); a bare host:port gets http://, a host alone also port 11434.",
          false,
          true);
  static final Variable<URI> WORKER_URL =
      seed(
          "WORKER_URL",
          httpUrl("http://wrangler:8080"),
          "http://wrangler:8080",
          "Base URL of the manager's internal worker API.");
  static final Variable<ListenAddress> HEALTH_ADDR =
      seed(
          "HEALTH_ADDR",
          ValueTypes.listenAddress(),
          ":8081",
          "Listen address of the health server; an empty host means every interface, port 0 any"
              + " free port.");
  static final Variable<Duration> POLL_INTERVAL =
      seed("POLL_INTERVAL", duration(false), "5s", "Interval between polls for new tasks.");
  static final Variable<Boolean> POLLING_ENABLED =
      seed(
          "POLLING_ENABLED",
          bool(),
          "true",
          "Poll the manager every POLL_INTERVAL when SSE is off. With SSE on, polling is the"
              + " fallback while the stream is down, and a slow safety poll runs while it is up.");
  static final Variable<Integer> MAX_RETRIES =
      seed(
          "MAX_RETRIES",
          integer(1),
          "3",
          "Retries of a failed generation (so MAX_RETRIES + 1 attempts) before the task is"
              + " requeued.");
  static final Variable<Duration> REQUEST_TIMEOUT =
      seed(
          "REQUEST_TIMEOUT",
          duration(false),
          "30s",
          "Bounds one generation request to Ollama, from sending it to the answer's last chunk"
              + " (waiting in Ollama's queue included; a model load the processor started"
              + " beforehand is not: see OLLAMA_LOAD_TIMEOUT).");
  static final Variable<String> MODEL_NAME =
      seed("MODEL_NAME", word("gemma2:1b"), "gemma2:1b", "Ollama model that answers the tasks.");
  static final Variable<Integer> WORKER_COUNT =
      seed("WORKER_COUNT", integer(1), "3", "Tasks processed at the same time.");
  static final Variable<Integer> QUEUE_SIZE =
      seed("QUEUE_SIZE", integer(1), "100", "Size of the local task queue.");
  static final Variable<String> PROCESSOR_ID =
      new Variable<>(
          "PROCESSOR_ID",
          List.of(),
          word("proc-1a2b3c4d"),
          new DefaultValue.Derived<>(
              "`proc-` and 8 random hex digits",
              context ->
                  Optional.of("proc-" + HexFormat.of().toHexDigits(context.random().nextInt()))),
          "This processor's name towards the manager; the default is new on every start.",
          false,
          true);
  static final Variable<Duration> HEARTBEAT_INTERVAL =
      seed(
          "HEARTBEAT_INTERVAL",
          duration(false),
          "15s",
          "Interval of heartbeats for the tasks being processed.");
  static final Variable<Integer> MAX_BATCH_SIZE =
      seed("MAX_BATCH_SIZE", integer(1), "5", "Most tasks claimed in one request.");
  static final Variable<Secret> INTERNAL_API_KEY =
      new Variable<>(
          "INTERNAL_API_KEY",
          List.of(),
          ValueTypes.secret(),
          literal(ProcessorConfig.DEFAULT_INTERNAL_API_KEY),
          "Key for the manager's internal API. Secret: never printed or logged; set your own"
              + " outside development.",
          true,
          true);
  static final Variable<Boolean> WORK_STEALING_ENABLED =
      seed("WORK_STEALING_ENABLED", bool(), "true", "Take over tasks from overloaded processors.");
  static final Variable<Duration> WORK_STEALING_INTERVAL =
      seed(
          "WORK_STEALING_INTERVAL",
          duration(false),
          "120s",
          "Interval between work-stealing attempts.");
  static final Variable<Integer> WORK_STEALING_MAX_COUNT =
      seed("WORK_STEALING_MAX_COUNT", integer(1), "2", "Most tasks stolen in one attempt.");
  static final Variable<Double> WORK_STEALING_MIN_CAPACITY =
      seed(
          "WORK_STEALING_MIN_CAPACITY",
          fraction(),
          "0.3",
          "Share of free workers (0 to 1) needed before stealing in bulk; below it, stale tasks are stolen one at a time as workers free up.");
  static final Variable<Boolean> SSE_ENABLED =
      seed("SSE_ENABLED", bool(), "true", "Listen to the manager's task stream (SSE).");
  static final Variable<String> SSE_ENDPOINT =
      seed(
          "SSE_ENDPOINT",
          ValueTypes.path(),
          "/api/internal/task-stream",
          "Path of the task stream on the manager.");
  static final Variable<Duration> SSE_RECONNECT_INTERVAL =
      seed(
          "SSE_RECONNECT_INTERVAL",
          duration(false),
          "5s",
          "Wait before reconnecting a lost task stream.");
  static final Variable<Integer> SSE_MAX_RECONNECT_ATTEMPTS =
      seed(
          "SSE_MAX_RECONNECT_ATTEMPTS",
          integer(1),
          "10",
          "Most reconnect attempts of the task stream in a row.");
  static final Variable<Duration> SSE_HEARTBEAT_TIMEOUT =
      seed(
          "SSE_HEARTBEAT_TIMEOUT",
          duration(false),
          "60s",
          "A task stream silent this long is considered dead.");
  static final Variable<Duration> SSE_HEARTBEAT_INTERVAL =
      seed(
          "SSE_HEARTBEAT_INTERVAL",
          duration(false),
          "30s",
          "Heartbeat interval of the task stream.");
  static final Variable<Duration> SSE_MAX_DURATION =
      seed(
          "SSE_MAX_DURATION",
          duration(false),
          "1h",
          "Longest life of one task-stream connection before it is renewed.");

  // Our additions.
  static final Variable<Integer> PREFETCH =
      new Variable<>(
          "PREFETCH",
          List.of(),
          integer(0),
          new DefaultValue.Derived<>(
              "same as WORKER_COUNT", context -> context.value(WORKER_COUNT)),
          "Tasks claimed beyond WORKER_COUNT so the next one is already waiting locally.",
          false,
          false);
  static final Variable<Duration> SHUTDOWN_GRACE =
      ours(
          "SHUTDOWN_GRACE",
          duration(true),
          "30s",
          "On SIGTERM or SIGINT, how long running tasks may finish before they are handed back.");
  static final Variable<Duration> CLEANUP_INTERVAL =
      new Variable<>(
          "CLEANUP_INTERVAL",
          List.of(),
          duration(true),
          new DefaultValue.Derived<>(
              "10 × POLL_INTERVAL",
              context -> context.value(POLL_INTERVAL).map(d -> Durations.times(d, 10))),
          "Interval of the manager's cleanup trigger; 0 turns it off.",
          false,
          false);
  static final Variable<Duration> SAFETY_POLL_INTERVAL =
      ours(
          "SAFETY_POLL_INTERVAL",
          duration(false),
          "30s",
          "Interval of the safety poll while the task stream is connected.");
  static final Variable<Boolean> LLM_STREAM =
      ours(
          "LLM_STREAM",
          bool(),
          "false",
          "Ask the LLM servers for streamed answers, a piece per token. Streaming lets"
              + " STREAM_IDLE_TIMEOUT end a generation that stalls mid-answer and measures the time"
              + " to the first token, but wakes the processor for every token; off, a generation"
              + " is one answer (as the original processor asks for it), bounded by"
              + " REQUEST_TIMEOUT.");
  static final Variable<Duration> STREAM_IDLE_TIMEOUT =
      ours(
          "STREAM_IDLE_TIMEOUT",
          duration(false),
          "20s",
          "With LLM_STREAM on: a generation that streams nothing for this long after its first"
              + " chunk is aborted (before the first chunk, only REQUEST_TIMEOUT counts).");
  static final Variable<Duration> PULL_TIMEOUT =
      ours(
          "PULL_TIMEOUT",
          duration(false),
          "30m",
          "Bounds pulling a model into Ollama, retries of transient failures included.");
  static final Variable<Duration> OLLAMA_LOAD_TIMEOUT =
      ours(
          "OLLAMA_LOAD_TIMEOUT",
          duration(false),
          "5m",
          "Bounds loading a model into Ollama's memory (the processor loads it at start and"
              + " whenever it may have been unloaded, before the generation).");
  static final Variable<Duration> OLLAMA_KEEP_ALIVE =
      ours(
          "OLLAMA_KEEP_ALIVE",
          ValueTypes.keepAlive(),
          "30m",
          "How long Ollama keeps the model loaded after each request (keep_alive): a duration,"
              + " or a negative one for ever; 0 unloads it after every request.");
  static final Variable<NumCtx> OLLAMA_NUM_CTX =
      ours(
          "OLLAMA_NUM_CTX",
          ValueTypes.numCtx(),
          "server",
          "Context window (num_ctx): server leaves it to Ollama; a number of tokens sends it"
              + " with each request; auto sends one large enough for the prompt and max_tokens."
              + " A prompt Ollama cut fails its task.");
  static final Variable<Duration> MANAGER_TIMEOUT =
      ours("MANAGER_TIMEOUT", duration(false), "10s", "Timeout of one call to the manager.");
  static final Variable<LogFormat> LOG_FORMAT =
      ours(
          "LOG_FORMAT",
          ValueTypes.choice(LogFormat.class),
          "text",
          "Log lines as readable text or as JSON objects, one per line, on stdout.");
  static final Variable<String> LOG_LEVEL =
      ours(
          "LOG_LEVEL",
          ValueTypes.oneOf("trace", "debug", "info", "warn", "error"),
          "info",
          "Least severe level that is logged.");

  static final Variable<ProcessorConfig.LlmApi> LLM_API =
      ours(
          "LLM_API",
          ValueTypes.choice(ProcessorConfig.LlmApi.class),
          "ollama",
          "The API of the LLM servers: Ollama's native API, an OpenAI-compatible one (vLLM,"
              + " llama.cpp, LM Studio, TGI, hosted), or auto (each endpoint is probed: /api/version,"
              + " then /v1/models).");
  static final Variable<Secret> LLM_API_KEY =
      new Variable<>(
          "LLM_API_KEY",
          List.of(),
          ValueTypes.optionalSecret(),
          literal(""),
          "Key sent as a Bearer token to OpenAI-compatible servers; empty sends none. Secret:"
              + " never printed or logged.",
          true,
          false);
  static final Variable<List<ProcessorConfig.LlmEndpoint>> LLM_ENDPOINTS =
      ours(
          "LLM_ENDPOINTS",
          ValueTypes.llmEndpoints(),
          "",
          "Several LLM servers, as URL*capacity entries separated by commas (capacity:"
              + " generations at once, WORKER_COUNT when left out); replaces OLLAMA_URL when set."
              + " WORKER_COUNT stays the total.");

  /** Every variable in documentation order; derived defaults follow what they derive from. */
  static final List<Variable<?>> ALL =
      List.of(
          OLLAMA_URL,
          WORKER_URL,
          HEALTH_ADDR,
          POLL_INTERVAL,
          POLLING_ENABLED,
          MAX_RETRIES,
          REQUEST_TIMEOUT,
          MODEL_NAME,
          WORKER_COUNT,
          QUEUE_SIZE,
          PROCESSOR_ID,
          HEARTBEAT_INTERVAL,
          MAX_BATCH_SIZE,
          INTERNAL_API_KEY,
          WORK_STEALING_ENABLED,
          WORK_STEALING_INTERVAL,
          WORK_STEALING_MAX_COUNT,
          WORK_STEALING_MIN_CAPACITY,
          SSE_ENABLED,
          SSE_ENDPOINT,
          SSE_RECONNECT_INTERVAL,
          SSE_MAX_RECONNECT_ATTEMPTS,
          SSE_HEARTBEAT_TIMEOUT,
          SSE_HEARTBEAT_INTERVAL,
          SSE_MAX_DURATION,
          PREFETCH,
          SHUTDOWN_GRACE,
          CLEANUP_INTERVAL,
          SAFETY_POLL_INTERVAL,
          LLM_STREAM,
          STREAM_IDLE_TIMEOUT,
          PULL_TIMEOUT,
          OLLAMA_LOAD_TIMEOUT,
          OLLAMA_KEEP_ALIVE,
          OLLAMA_NUM_CTX,
          MANAGER_TIMEOUT,
          LOG_FORMAT,
          LOG_LEVEL,
          LLM_API,
          LLM_API_KEY,
          LLM_ENDPOINTS);

  /** The resolved value of each variable. */
  @FunctionalInterface
  interface Values {
    <T> T get(Variable<T> variable);
  }

  /** Builds the typed configuration from the resolved value of every variable. */
  static ProcessorConfig toConfig(Values values) {
    return new ProcessorConfig(
        values.get(OLLAMA_URL),
        values.get(WORKER_URL),
        values.get(HEALTH_ADDR),
        values.get(POLL_INTERVAL),
        values.get(POLLING_ENABLED),
        values.get(MAX_RETRIES),
        values.get(REQUEST_TIMEOUT),
        values.get(MODEL_NAME),
        values.get(WORKER_COUNT),
        values.get(QUEUE_SIZE),
        values.get(PROCESSOR_ID),
        values.get(HEARTBEAT_INTERVAL),
        values.get(MAX_BATCH_SIZE),
        values.get(INTERNAL_API_KEY),
        values.get(WORK_STEALING_ENABLED),
        values.get(WORK_STEALING_INTERVAL),
        values.get(WORK_STEALING_MAX_COUNT),
        values.get(WORK_STEALING_MIN_CAPACITY),
        values.get(SSE_ENABLED),
        values.get(SSE_ENDPOINT),
        values.get(SSE_RECONNECT_INTERVAL),
        values.get(SSE_MAX_RECONNECT_ATTEMPTS),
        values.get(SSE_HEARTBEAT_TIMEOUT),
        values.get(SSE_HEARTBEAT_INTERVAL),
        values.get(SSE_MAX_DURATION),
        values.get(PREFETCH),
        values.get(SHUTDOWN_GRACE),
        values.get(CLEANUP_INTERVAL),
        values.get(SAFETY_POLL_INTERVAL),
        values.get(LLM_STREAM),
        values.get(STREAM_IDLE_TIMEOUT),
        values.get(PULL_TIMEOUT),
        values.get(OLLAMA_LOAD_TIMEOUT),
        values.get(OLLAMA_KEEP_ALIVE),
        values.get(OLLAMA_NUM_CTX),
        values.get(MANAGER_TIMEOUT),
        values.get(LOG_FORMAT),
        values.get(LOG_LEVEL),
        values.get(LLM_API),
        values.get(LLM_API_KEY),
        values.get(LLM_ENDPOINTS));
  }

  private static <T> DefaultValue<T> literal(String text) {
    return new DefaultValue.Literal<>(text);
  }

  private static <T> Variable<T> seed(
      String name, ValueType<T> type, String defaultText, String description) {
    return new Variable<>(name, List.of(), type, literal(defaultText), description, false, true);
  }

  private static <T> Variable<T> ours(
      String name, ValueType<T> type, String defaultText, String description) {
    return new Variable<>(name, List.of(), type, literal(defaultText), description, false, false);
  }
}
