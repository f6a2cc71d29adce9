package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Ollama server for tests and benchmarks: Ollama's HTTP API with deterministic
 * answers ({@link SimulatedAnswer}), a per-model latency model, parallel slots with a bounded
 * queue, per-request records and run-time faults. See docs/devstack-ollama.md.
 *
 * <pre>{@code
 * try (OllamaSimulator sim = new OllamaSimulator(OllamaSimulator.Options.builder().slots(2).build())) {
 *   sim.start();
 *   String url = sim.baseUrl(); // http://127.0.0.1:<port>
 *   ...
 *   assertThat(sim.stats().peakConcurrency()).isEqualTo(2);
 * }
 * }</pre>
 */
public final class OllamaSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaSimulator.class);

  /**
   * How the simulator is set up.
   *
   * @param host address to bind
   * @param port port to bind; 0 picks a free one
   * @param slots generation requests served at once (OLLAMA_NUM_PARALLEL), for the whole server
   * @param queue requests allowed to wait for a slot (OLLAMA_MAX_QUEUE); more get 503
   * @param models models installed at start
   * @param pullable further models /api/pull can fetch (installed ones can always be pulled again)
   * @param keepAlive how long a model stays loaded after a request without keep_alive
   * @param pullStep pause before each pull progress line
   * @param recordCapacity request records kept (the oldest are dropped)
   * @param openAiOnly answer only the OpenAI-compatible API (/v1/*), nothing under / or /api/*, as
   *     vLLM and llama-server do
   * @param apiKey a key /v1/* requests must send as {@code Authorization: Bearer}, or null for none
   */
  public record Options(
      String host,
      int port,
      int slots,
      int queue,
      List<ModelProfile> models,
      List<ModelProfile> pullable,
      Duration keepAlive,
      Duration pullStep,
      int recordCapacity,
      boolean openAiOnly,
      String apiKey) {
    /** Names of the models installed by default. */
    public static final List<String> DEFAULT_MODELS =
        List.of("gemma2:1b", "gemma3:1b", "llama3.2:latest");

    /** Names of the models pullable by default besides the installed ones. */
    public static final List<String> DEFAULT_PULLABLE = List.of("qwen2.5:0.5b");

    public Options {
      models = List.copyOf(models);
      pullable = List.copyOf(pullable);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " must be within 0..65535");
      }
      if (slots < 1) {
        throw new IllegalArgumentException("slots " + slots + " must be at least 1");
      }
      if (queue < 0) {
        throw new IllegalArgumentException("queue " + queue + " must be zero or more");
      }
      if (keepAlive == null || pullStep == null || pullStep.isNegative()) {
        throw new IllegalArgumentException("keepAlive and a non-negative pullStep are required");
      }
      if (recordCapacity < 1) {
        throw new IllegalArgumentException("recordCapacity must be at least 1");
      }
    }

    /**
     * The defaults: 127.0.0.1, port 0, 1 slot, queue 512, the default models with fast profiles.
     */
    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }
  }

  /** Builds {@link Options}; every setting starts at its default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private int slots = 1;
    private int queue = 512;
    private List<ModelProfile> models = new ArrayList<>();
    private List<ModelProfile> pullable = new ArrayList<>();
    private Duration keepAlive = Duration.ofMinutes(5);
    private Duration pullStep = Duration.ofMillis(5);
    private int recordCapacity = RequestLog.DEFAULT_CAPACITY;
    private boolean openAiOnly;
    private String apiKey;

    private Builder() {
      Options.DEFAULT_MODELS.forEach(n -> models.add(ModelProfile.fast(n)));
      Options.DEFAULT_PULLABLE.forEach(n -> pullable.add(ModelProfile.fast(n)));
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder slots(int value) {
      slots = value;
      return this;
    }

    public Builder queue(int value) {
      queue = value;
      return this;
    }

    /** Replaces the installed models. */
    public Builder models(List<ModelProfile> value) {
      models = new ArrayList<>(value);
      return this;
    }

    /** Adds an installed model, or replaces the one of the same name. */
    public Builder model(ModelProfile value) {
      models.removeIf(m -> m.name().equals(value.name()));
      models.add(value);
      return this;
    }

    /** Replaces the models that can be pulled besides the installed ones. */
    public Builder pullable(List<ModelProfile> value) {
      pullable = new ArrayList<>(value);
      return this;
    }

    public Builder keepAlive(Duration value) {
      keepAlive = value;
      return this;
    }

    public Builder pullStep(Duration value) {
      pullStep = value;
      return this;
    }

    public Builder recordCapacity(int value) {
      recordCapacity = value;
      return this;
    }

    /** Serve only /v1/* (see {@link Options#openAiOnly()}). */
    public Builder openAiOnly(boolean value) {
      openAiOnly = value;
      return this;
    }

    /** Require this Bearer key on /v1/*; null for none. */
    public Builder apiKey(String value) {
      apiKey = value;
      return this;
    }

    public Options build() {
      return new Options(
          host,
          port,
          slots,
          queue,
          models,
          pullable,
          keepAlive,
          pullStep,
          recordCapacity,
          openAiOnly,
          apiKey);
    }
  }

  private final Options options;
  private final ModelStore models;
  private final SlotGate gate;
  private final Faults faults = new Faults();
  private final RequestLog log;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private HttpServer server;

  public OllamaSimulator(Options options) {
    this.options = options;
    this.models =
        new ModelStore(
            options.models(), options.pullable(), options.keepAlive(), InstantSource.system());
    this.gate = new SlotGate(options.slots(), options.queue());
    this.log = new RequestLog(options.recordCapacity());
  }

  /** A simulator with {@link Options#defaults()}. */
  public OllamaSimulator() {
    this(Options.defaults());
  }

  /**
   * Binds and starts serving; returns {@code this}.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public synchronized OllamaSimulator start() {
    if (server != null) {
      throw new IllegalStateException("simulator already started at " + baseUrl());
    }
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
      GenerationService generation = new GenerationService(models, gate, faults);
      PullService pulls = new PullService(models, faults, options.pullStep());
      s.createContext(
          "/",
          new OllamaApi(models, generation, pulls, new AdminApi(this), log)
              .restrictedTo(options.openAiOnly(), options.apiKey()));
      s.setExecutor(executor);
      s.start();
      server = s;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot bind the Ollama simulator to " + options.host() + ":" + options.port(), e);
    }
  }

  /** The bound port. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("simulator not started");
    }
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
  }

  public Options options() {
    return options;
  }

  /** Records of recent requests, oldest first, including those in progress. */
  public List<RequestRecord> requests() {
    return log.records();
  }

  /** Counts since start or the last {@link #reset()}. */
  public SimulatorStats stats() {
    return log.stats(gate);
  }

  /** The run-time fault switches. */
  public Faults faults() {
    return faults;
  }

  /** Forgets records, zeroes counters and peaks (faults and models stay as they are). */
  public void reset() {
    log.reset();
    gate.resetPeaks();
  }

  /** Names of the installed models, as /api/tags lists them. */
  public List<String> modelNames() {
    return models.installed().stream().map(i -> i.profile().name()).toList();
  }

  /** The installed model of that name (a missing tag means :latest). */
  public Optional<ModelProfile> model(String name) {
    return models.find(name).map(ModelStore.Installed::profile);
  }

  /**
   * The keep_alive of requests that give none: how long a model stays loaded after its last request
   * (negative: for ever; zero: unload at once).
   */
  public Duration defaultKeepAlive() {
    return models.defaultKeepAlive();
  }

  /** Changes the keep_alive of requests that give none, for requests ending from now on. */
  public void defaultKeepAlive(Duration keepAlive) {
    if (keepAlive == null) {
      throw new IllegalArgumentException("keepAlive is required");
    }
    models.defaultKeepAlive(keepAlive);
  }

  /**
   * Installs a model (or replaces its profile), as a pull would. A new load time applies to the
   * next load; a new context window to the next request.
   */
  public void installModel(ModelProfile profile) {
    models.install(profile);
  }

  /**
   * The "model disappears" fault: the model is unloaded and leaves /api/tags; new requests get 404,
   * requests already running finish. Pulling it again brings it back.
   *
   * @return whether the model was installed
   */
  public boolean removeModel(String name) {
    return models.remove(name);
  }

  /**
   * The answer (text, token pieces, done reason) this simulator gives to a request, using the
   * installed model's answer length. For /v1/chat/completions pass the options as Ollama applies
   * them there: temperature and top_p 1.0 when absent, max_tokens as num_predict.
   *
   * @throws IllegalArgumentException when the model is not installed
   */
  public SimulatedAnswer expectedAnswer(
      String model, String system, String user, GenerationOptions generationOptions) {
    ModelProfile profile =
        model(model)
            .orElseThrow(
                () -> new IllegalArgumentException("model " + model + " is not installed"));
    return SimulatedAnswer.of(model, system, user, generationOptions, profile.answerLength());
  }

  /** The text of {@link #expectedAnswer}. */
  public String expectedText(
      String model, String system, String user, GenerationOptions generationOptions) {
    return expectedAnswer(model, system, user, generationOptions).text();
  }

  /** Stops serving at once: connections are closed and running requests end. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
    faults.liftHang();
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Ollama simulator: request threads did not stop within 5 s of close()");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
