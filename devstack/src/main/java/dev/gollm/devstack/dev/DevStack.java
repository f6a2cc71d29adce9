package dev.gollm.devstack.dev;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.StoreException;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The three parts of the dev stack, started in order and stopped in reverse: devstack's manager on
 * a SQLite file, an Ollama (a real one when one answers, else devstack's simulator), and the
 * processor as its own JVM, connected to both over HTTP as in production.
 */
final class DevStack implements AutoCloseable {
  /** How long a real Ollama has to answer {@code GET /api/version}. */
  static final Duration OLLAMA_PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** How long the processor may take to serve /health after its start. */
  static final Duration PROCESSOR_START_LIMIT = Duration.ofSeconds(60);

  /** How long the processor may take to stop: its SHUTDOWN_GRACE (30 s) and its own margin. */
  static final Duration PROCESSOR_STOP_LIMIT = Duration.ofSeconds(45);

  private static final int DEFAULT_WORKER_COUNT = 3;

  /**
   * What to start.
   *
   * @param managerPort the manager's port (0: any free one)
   * @param healthPort the processor's health port (0: any free one)
   * @param database the manager's SQLite file, created with its directory if missing
   * @param fresh delete the database first, so that no task of an earlier run is left
   * @param apiKey the internal API key of manager and processor
   * @param forceSimulator use the simulator even when a real Ollama answers
   * @param simTokens answer length of the simulator's models
   * @param simTokensPerSecond generation speed of the simulator's models
   * @param backends simulated LLM backends to run (more than one: always simulated)
   * @param openAiApi simulate OpenAI-compatible servers (nothing under /api) and have the processor
   *     speak that API
   * @param launcher starts the processor's JVM
   * @param env the environment: OLLAMA_URL and MODEL_NAME are read, and it is passed on to the
   *     processor under the stack's own WORKER_URL, OLLAMA_URL, INTERNAL_API_KEY and HEALTH_ADDR
   */
  record Settings(
      int managerPort,
      int healthPort,
      Path database,
      boolean fresh,
      String apiKey,
      boolean forceSimulator,
      AnswerLength simTokens,
      double simTokensPerSecond,
      int backends,
      boolean openAiApi,
      ProcessorLauncher launcher,
      Map<String, String> env) {
    Settings {
      env = Map.copyOf(env);
    }
  }

  private final Settings settings;
  private final Display display;
  private ManagerServer manager;
  private String ollamaUrl;
  private final Backends simulators = new Backends();
  private ProcessorProcess processor;
  private int healthPort;

  private DevStack(Settings settings, Display display) {
    this.settings = settings;
    this.display = display;
  }

  /**
   * Starts the manager and an Ollama, saying on {@code display} which Ollama and where; the
   * processor follows with {@link #startProcessor()}, so that listeners can be added to the manager
   * before any task is processed.
   *
   * @throws DevStackException when a part cannot start (a port in use, the jar missing, ...)
   */
  static DevStack start(Settings settings, Display display) {
    DevStack stack = new DevStack(settings, display);
    try {
      stack.startServers();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startServers() {
    healthPort = reserveHealthPort(settings.healthPort());
    boolean deleted = settings.fresh() && deleteDatabase(settings.database());
    manager = startManager(settings);
    ollamaUrl = startOllama();
    Map<TaskStatus, Long> earlier = manager.countByStatus();
    long total = earlier.values().stream().mapToLong(Long::longValue).sum();
    display.line(
        "manager    "
            + manager.baseUrl()
            + "  (devstack's manager; database "
            + settings.database()
            + (deleted ? " emptied by --fresh" : "")
            + ", "
            + describeKey(settings)
            + (total == 0 ? "" : ", " + total + " tasks from earlier runs")
            + ")");
    unfinishedTasks(earlier).ifPresent(display::line);
  }

  /**
   * Says how many tasks of earlier runs are unfinished: the processor claims pending ones first
   * (they are older), so a new batch waits behind them.
   */
  static Optional<String> unfinishedTasks(Map<TaskStatus, Long> earlier) {
    long pending = earlier.getOrDefault(TaskStatus.PENDING, 0L);
    long processing = earlier.getOrDefault(TaskStatus.PROCESSING, 0L);
    if (pending + processing == 0) {
      return Optional.empty();
    }
    StringBuilder line = new StringBuilder("earlier runs left ");
    if (pending > 0) {
      line.append(pending)
          .append(" task(s) pending, which run first (older tasks are claimed first)");
    }
    if (processing > 0) {
      line.append(pending > 0 ? ", and " : "")
          .append(processing)
          .append(" processing under a stopped processor, pending again after 5 minutes");
    }
    return Optional.of(
        line.append("; start empty with: make dev FRESH=1 (bin/devstack dev --fresh)").toString());
  }

  /** Deletes the SQLite database and its journal files; true when there was one. */
  private static boolean deleteDatabase(Path database) {
    boolean existed = false;
    for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
      Path file = database.resolveSibling(database.getFileName() + suffix);
      try {
        existed |= Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new DevStackException("--fresh: cannot delete " + file + ": " + e.getMessage(), e);
      }
    }
    return existed;
  }

  /**
   * Starts the processor's JVM against manager and Ollama and returns once it serves /health.
   *
   * @throws DevStackException when it exits first or takes longer than {@link
   *     #PROCESSOR_START_LIMIT}
   */
  void startProcessor() {
    try {
      processor = launchProcessor();
      awaitHealthy();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    display.line(
        "processor  pid "
            + processor.pid()
            + ", health http://127.0.0.1:"
            + healthPort
            + "/health  (its log lines, prefixed [processor], are "
            + settings.env().getOrDefault("LOG_LEVEL", "warn")
            + " and above; set LOG_LEVEL to change)");
  }

  /** Checks that the health port is free, or picks a free one for port 0. */
  private static int reserveHealthPort(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return socket.getLocalPort();
    } catch (BindException e) {
      throw portInUse(port, "--health-port", "HEALTH_PORT");
    } catch (IOException e) {
      throw new DevStackException("cannot check port " + port + ": " + e.getMessage(), e);
    }
  }

  private static DevStackException portInUse(int port, String flag, String variable) {
    return new DevStackException(
        "port "
            + port
            + " is in use; pass "
            + flag
            + " PORT (or set "
            + variable
            + ") to use another, e.g. "
            + flag
            + " "
            + (port + 10));
  }

  private static ManagerServer startManager(Settings settings) {
    ManagerOptions options =
        ManagerOptions.builder()
            .host("127.0.0.1")
            .port(settings.managerPort())
            .database(settings.database())
            .apiKey(settings.apiKey())
            .recordCompleteCalls(false)
            .build();
    try {
      return ManagerServer.start(options);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof BindException) {
        throw portInUse(settings.managerPort(), "--manager-port", "MANAGER_PORT");
      }
      throw new DevStackException(
          "cannot start the manager on port "
              + settings.managerPort()
              + ": "
              + e.getCause().getMessage(),
          e);
    } catch (StoreException e) {
      throw new DevStackException(
          "cannot open the manager's database " + settings.database() + ": " + e.getMessage(), e);
    }
  }

  /** Uses a real Ollama when one answers, else starts the simulator; returns its URL. */
  private String startOllama() {
    String configured = settings.env().get("OLLAMA_URL");
    String model = settings.env().get("MODEL_NAME");
    String why;
    if (settings.forceSimulator()) {
      why = "--simulator given";
    } else if (settings.backends() > 1 || settings.openAiApi()) {
      why = settings.backends() > 1 ? "--backends " + settings.backends() : "--api openai";
    } else {
      URI url;
      try {
        url = OllamaProbe.baseUrl(configured);
      } catch (IllegalArgumentException e) {
        url = null;
        display.line("note: " + e.getMessage());
      }
      Optional<String> version =
          url == null ? Optional.empty() : OllamaProbe.version(url, OLLAMA_PROBE_TIMEOUT);
      if (version.isPresent()) {
        display.line(
            "ollama     "
                + url
                + "  (a real Ollama, version "
                + version.get()
                + "; model "
                + (model == null ? "gemma2:1b, the processor's default" : model)
                + ", pulled by the processor if missing; --simulator to use the simulator)");
        return url.toString();
      }
      why =
          "no Ollama answered at "
              + (url == null ? configured : url)
              + " within "
              + OLLAMA_PROBE_TIMEOUT.toSeconds()
              + " s";
    }
    int workers = workerCount(settings.env());
    int slots = Math.max(1, (workers + settings.backends() - 1) / settings.backends());
    for (int i = 1; i <= settings.backends(); i++) {
      double speed = settings.simTokensPerSecond() / i;
      OllamaSimulator simulator =
          new OllamaSimulator(simulatorOptions(settings, model, slots, speed)).start();
      simulators.add(new Backends.Backend(simulator, slots, speed));
      display.line(
          (settings.backends() > 1 ? "backend " + i + "  " : "ollama     ")
              + simulator.baseUrl()
              + "  (SIMULATED: "
              + why
              + "; devstack's "
              + (settings.openAiApi() ? "OpenAI-compatible" : "Ollama")
              + " simulator with "
              + slots
              + " slots at "
              + Math.round(speed)
              + " tokens/s and deterministic answers)");
    }
    return simulators.all().getFirst().simulator().baseUrl();
  }

  private static OllamaSimulator.Options simulatorOptions(
      Settings settings, String model, int slots, double tokensPerSecond) {
    Set<String> names = new LinkedHashSet<>(OllamaSimulator.Options.DEFAULT_MODELS);
    if (model != null && !model.isBlank()) {
      names.add(model.strip());
    }
    List<ModelProfile> profiles = new ArrayList<>();
    for (String name : names) {
      profiles.add(
          ModelProfile.fast(name)
              .withLoadTime(Duration.ofMillis(300))
              .withTimeToFirstToken(Duration.ofMillis(40))
              .withTokensPerSecond(tokensPerSecond)
              .withAnswerLength(settings.simTokens()));
    }
    return OllamaSimulator.Options.builder()
        .slots(slots)
        .models(profiles)
        .openAiOnly(settings.openAiApi())
        .build();
  }

  /**
   * The processor's WORKER_COUNT when the environment sets a valid one; the simulator matches it.
   */
  private static int workerCount(Map<String, String> env) {
    try {
      int count = Integer.parseInt(env.getOrDefault("WORKER_COUNT", "").strip());
      return count >= 1 ? count : DEFAULT_WORKER_COUNT;
    } catch (NumberFormatException e) {
      return DEFAULT_WORKER_COUNT;
    }
  }

  private static String describeKey(Settings settings) {
    return settings.apiKey().equals(ManagerOptions.DEFAULT_API_KEY)
        ? "key " + ManagerOptions.DEFAULT_API_KEY
        : "key given by --api-key or INTERNAL_API_KEY";
  }

  private ProcessorProcess launchProcessor() {
    Map<String, String> env = new HashMap<>(settings.env());
    env.put("WORKER_URL", manager.baseUrl());
    env.put("OLLAMA_URL", ollamaUrl);
    if (settings.openAiApi()) {
      env.put("LLM_API", "openai");
    }
    if (settings.backends() > 1) {
      env.put("LLM_ENDPOINTS", simulators.endpoints());
    }
    env.put("INTERNAL_API_KEY", settings.apiKey());
    env.put("HEALTH_ADDR", ":" + healthPort);
    env.putIfAbsent("LOG_LEVEL", "warn");
    String javaOpts = settings.env().getOrDefault("PROCESSOR_JAVA_OPTS", "").strip();
    List<String> flags = javaOpts.isEmpty() ? List.of() : Arrays.asList(javaOpts.split("\\s+"));
    return settings.launcher().start(env, flags, display::processorLine);
  }

  /** Waits until the processor answers GET /health, or fails when it exits or takes too long. */
  private void awaitHealthy() {
    URI health = URI.create("http://127.0.0.1:" + healthPort + "/health");
    CompletableFuture<ProcessHandle> exit = processor.handle().onExit();
    long deadline = System.nanoTime() + PROCESSOR_START_LIMIT.toNanos();
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (System.nanoTime() < deadline) {
        if (answers(client, health)) {
          return;
        }
        try {
          // Paces the next attempt, and ends the wait at once when the processor exits.
          exit.get(100, TimeUnit.MILLISECONDS);
          throw new DevStackException(
              "the processor exited with status "
                  + processor.awaitExit(Duration.ofSeconds(5))
                  + " before serving /health; see its output above");
        } catch (TimeoutException e) {
          // still starting
        } catch (ExecutionException e) {
          throw new DevStackException("cannot watch the processor: " + e.getCause(), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while the processor started", e);
    }
    throw new DevStackException(
        "the processor did not serve "
            + health
            + " within "
            + PROCESSOR_START_LIMIT.toSeconds()
            + " s");
  }

  private static boolean answers(HttpClient client, URI health) throws InterruptedException {
    try {
      HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  ManagerServer manager() {
    return manager;
  }

  /** The simulated backends (none when a real Ollama is used). */
  Backends simulators() {
    return simulators;
  }

  int healthPort() {
    return healthPort;
  }

  /** Completes when the processor's JVM exits, whatever the reason. */
  CompletableFuture<ProcessHandle> processorExit() {
    return processor.handle().onExit();
  }

  /** The exit status of a processor that has exited (-1 if it still runs after 5 s). */
  int processorExitStatus() throws InterruptedException {
    return processor.awaitExit(Duration.ofSeconds(5));
  }

  /**
   * Sends SIGTERM to the processor and waits while it hands back what it holds, killing it after
   * {@link #PROCESSOR_STOP_LIMIT}. Returns its exit status (-1 when killed).
   */
  int stopProcessor() throws InterruptedException {
    if (processor == null) {
      return 0;
    }
    int status =
        processor.isAlive()
            ? processor.terminate(PROCESSOR_STOP_LIMIT)
            : processor.awaitExit(Duration.ofSeconds(5));
    if (status < 0) {
      display.line(
          "the processor did not stop within "
              + PROCESSOR_STOP_LIMIT.toSeconds()
              + " s; killing it (its tasks stay processing until the manager's cleanup)");
      processor.kill();
    }
    processor = null;
    return status;
  }

  /**
   * Stops the simulator and the manager (after {@link #stopProcessor()}); returns the number of
   * tasks in each state as the database holds them at the end.
   */
  Map<TaskStatus, Long> stopServers() {
    simulators.close();
    Map<TaskStatus, Long> counts = manager.countByStatus();
    manager.close();
    manager = null;
    return counts;
  }

  /** Ends whatever still runs, without an orderly handover: for failures. */
  @Override
  public void close() {
    if (processor != null) {
      processor.close();
      processor = null;
    }
    simulators.close();
    if (manager != null) {
      manager.close();
      manager = null;
    }
  }
}
