package dev.gollm.devstack.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A manager-compatible coordinator: the go-llm manager's internal API over HTTP on a real SQLite
 * database, plus devstack's task submission, fault injection and observation hooks for tests.
 *
 * <pre>{@code
 * try (ManagerServer manager = ManagerServer.start(ManagerOptions.defaults())) {
 *   String id = manager.submit("Handmade ceramic mug");
 *   // point a processor at manager.baseUrl() with manager.apiKey()
 * }
 * }</pre>
 */
public final class ManagerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);

  private final ManagerOptions options;
  private final Path database;
  private final boolean temporaryDatabase;
  private final TaskStore store;
  private final TaskStreamHub stream;
  private final Faults faults;
  private final InternalApi internal;
  private final AdminApi admin;
  private final Map<String, Endpoint> routes = new HashMap<>();
  private final List<CompleteCall> completeCalls = new CopyOnWriteArrayList<>();
  private final List<Consumer<CompleteCall>> completeListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer http;
  private final ScheduledExecutorService cleanupTimer;
  private final String baseUrl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ManagerServer(ManagerOptions options) throws IOException {
    this.options = options;
    this.temporaryDatabase = options.database() == null;
    this.database =
        temporaryDatabase
            ? Files.createTempFile("devstack-manager-", ".db")
            : options.database().toAbsolutePath();
    if (!temporaryDatabase && database.getParent() != null) {
      Files.createDirectories(database.getParent());
    }
    try {
      this.store = TaskStore.open(database, options.clock());
    } catch (StoreException e) {
      deleteTemporaryDatabase();
      throw e;
    }
    this.stream = new TaskStreamHub(options.clock(), options.sseBufferSize());
    this.faults = new Faults(options.faultSeed(), options.hangLimit());
    this.internal = new InternalApi(store, stream, options, faults, this::recordComplete);
    this.admin = new AdminApi(faults, stream);
    for (Endpoint endpoint : Endpoint.values()) {
      routes.put(endpoint.path(), endpoint);
    }
    try {
      this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
    } catch (IOException e) {
      store.close();
      deleteTemporaryDatabase();
      throw e;
    }
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
    int port = http.getAddress().getPort();
    String host = options.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    this.baseUrl = "http://" + host + ":" + port;
    if (options.periodicCleanup()) {
      cleanupTimer =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> Thread.ofPlatform().name("manager-cleanup").daemon().unstarted(runnable));
      long periodMs = options.cleanupInterval().toMillis();
      cleanupTimer.scheduleWithFixedDelay(
          this::periodicCleanup, periodMs, periodMs, TimeUnit.MILLISECONDS);
    } else {
      cleanupTimer = null;
    }
  }

  /** Starts a server with these options; it serves until {@link #close()}. */
  public static ManagerServer start(ManagerOptions options) {
    try {
      return new ManagerServer(options);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the manager on " + options.host() + ":" + options.port(), e);
    }
  }

  /** Starts a server with the defaults: port 0, temporary database, key dev-internal-key. */
  public static ManagerServer start() {
    return start(ManagerOptions.defaults());
  }

  // ---- where it is -------------------------------------------------------------------------

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  public URI baseUri() {
    return URI.create(baseUrl);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public String apiKey() {
    return options.apiKey();
  }

  public ManagerOptions options() {
    return options;
  }

  /** The SQLite file (a temporary one unless a path was given). */
  public Path databasePath() {
    return database;
  }

  /** The database itself, for what the helpers below do not cover. */
  public TaskStore store() {
    return store;
  }

  // ---- tasks -------------------------------------------------------------------------------

  /** Creates tasks and announces them on every open task stream, like the submit endpoint. */
  public List<String> submit(List<NewTask> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    return internal.submitDirect(tasks);
  }

  public List<String> submit(NewTask... tasks) {
    return submit(Arrays.asList(tasks));
  }

  /** Creates one task with this input text and the defaults; returns its id. */
  public String submit(String productData) {
    return submit(NewTask.of(productData)).getFirst();
  }

  /** Creates {@code count} tasks with the texts {@code prefix-0 .. prefix-(count-1)}. */
  public List<String> submitMany(String prefix, int count) {
    List<NewTask> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tasks.add(NewTask.of(prefix + "-" + i));
    }
    return submit(tasks);
  }

  public Optional<TaskRecord> task(String id) {
    return store.find(id);
  }

  /** The task with this id; fails when there is none. */
  public TaskRecord requireTask(String id) {
    return store.find(id).orElseThrow(() -> new IllegalArgumentException("no task with id " + id));
  }

  public long count(TaskStatus status) {
    return store.countByStatus().get(status);
  }

  public Map<TaskStatus, Long> countByStatus() {
    return store.countByStatus();
  }

  /** Every task, oldest first. */
  public List<TaskRecord> allTasks() {
    return store.all();
  }

  /** Runs the manager's cleanup now, as {@code POST /api/internal/cleanup} would. */
  public CleanupReport cleanup() {
    return store.cleanup(options.staleAfter().toMillis());
  }

  // ---- observation -------------------------------------------------------------------------

  /** Every complete call so far, in arrival order (empty when recording is off). */
  public List<CompleteCall> completeCalls() {
    return List.copyOf(completeCalls);
  }

  /** The complete calls for one task, in arrival order. */
  public List<CompleteCall> completeCallsFor(String taskId) {
    return completeCalls.stream().filter(call -> taskId.equals(call.taskId())).toList();
  }

  /** Calls {@code listener} for every complete call, before its answer is sent. */
  public void onComplete(Consumer<CompleteCall> listener) {
    completeListeners.add(listener);
  }

  private void recordComplete(CompleteCall call) {
    if (options.recordCompleteCalls()) {
      completeCalls.add(call);
    }
    for (Consumer<CompleteCall> listener : completeListeners) {
      listener.accept(call);
    }
  }

  // ---- faults and streams ------------------------------------------------------------------

  public Faults faults() {
    return faults;
  }

  /** Ends every open task stream now; returns how many were open. */
  public int dropSseConnections() {
    return stream.dropAll();
  }

  public int sseConnectionCount() {
    return stream.connectionCount();
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith(AdminApi.PREFIX)) {
        admin.handle(exchange);
        return;
      }
      Endpoint endpoint = routes.get(path);
      if (endpoint == null) {
        health(exchange);
        return;
      }
      Faults.Outcome outcome = faults.apply(endpoint);
      if (outcome.decision() == Faults.Decision.ABORT) {
        return;
      }
      if (outcome.decision() == Faults.Decision.INJECT) {
        Responses.error(exchange, outcome.status(), "injected fault (devstack)");
        return;
      }
      if (!authorized(exchange)) {
        Responses.unauthorized(exchange);
        return;
      }
      String method = exchange.getRequestMethod();
      if (method.equals("OPTIONS")) {
        Responses.cors(exchange.getResponseHeaders());
        Responses.send(exchange, 200, "text/plain; charset=utf-8", new byte[0]);
        return;
      }
      Optional<String> required = endpoint.requiredMethod();
      if (required.isPresent() && !required.get().equals(method)) {
        Responses.error(
            exchange,
            405,
            endpoint == Endpoint.TASK_STREAM
                ? "Method not allowed. Use GET for SSE."
                : "Method not allowed");
        return;
      }
      internal.handle(endpoint, exchange);
    } catch (IOException e) {
      LOG.debug("request ended early: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.equals("Bearer " + options.apiKey());
  }

  /** The manager's catch-all: 200 with its health JSON for any unknown path and method. */
  private static void health(HttpExchange exchange) throws IOException {
    ObjectNode endpoints = WireJson.NODES.objectNode();
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    sorted.put("health", "GET /");
    for (Endpoint endpoint : Endpoint.values()) {
      sorted.put(
          endpoint.endpointName().replace('/', '_'), endpoint.method() + " " + endpoint.path());
    }
    sorted.forEach(endpoints::put);
    Responses.json(
        exchange,
        200,
        WireJson.sortedObject(
            "endpoints", endpoints, "message", "LLM Proxy API v1.0", "status", "ok"));
  }

  private void periodicCleanup() {
    try {
      CleanupReport report = cleanup();
      if (report.timedout() > 0 || report.failed() > 0) {
        LOG.info(
            "periodic cleanup requeued {} and failed {} stale tasks",
            report.timedout(),
            report.failed());
      }
    } catch (RuntimeException e) {
      LOG.warn("periodic cleanup failed: {}", e.getMessage());
    }
  }

  /**
   * Stops serving: releases hung requests, ends streams, closes the database (deleting it when
   * temporary). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (cleanupTimer != null) {
      cleanupTimer.shutdownNow();
    }
    faults.close();
    stream.close();
    http.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("some manager requests were still running at shutdown");
        executor.shutdownNow();
      }
      if (cleanupTimer != null) {
        cleanupTimer.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
    deleteTemporaryDatabase();
  }

  private void deleteTemporaryDatabase() {
    if (!temporaryDatabase) {
      return;
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      try {
        Files.deleteIfExists(Path.of(database + suffix));
      } catch (IOException e) {
        LOG.debug("could not delete {}{}: {}", database, suffix, e.toString());
      }
    }
  }
}
