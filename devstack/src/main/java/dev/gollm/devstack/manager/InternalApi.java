package dev.gollm.devstack.manager;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The handlers of the manager's internal endpoints, after authentication and the method check:
 * request decoding, defaults and replacement rules, status codes, error messages and response
 * bodies as {@code manager-api.md} gives them.
 */
final class InternalApi {
  private static final Logger LOG = LoggerFactory.getLogger(InternalApi.class);
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
  private static final long DEFAULT_TIMEOUT_MS = 300_000;
  private static final long METRICS_WINDOW_MS = 5 * 60 * 1000;

  private final TaskStore store;
  private final TaskStreamHub stream;
  private final ManagerOptions options;
  private final SseLimits sseLimits;
  private final Faults faults;
  private final Consumer<CompleteCall> completeRecorder;

  InternalApi(
      TaskStore store,
      TaskStreamHub stream,
      ManagerOptions options,
      Faults faults,
      Consumer<CompleteCall> completeRecorder) {
    this.store = store;
    this.stream = stream;
    this.options = options;
    this.sseLimits = SseLimits.of(options.relaxSseClamps());
    this.faults = faults;
    this.completeRecorder = completeRecorder;
  }

  /** A 400 answer with the endpoint's message. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  void handle(Endpoint endpoint, HttpExchange exchange) throws IOException {
    try {
      switch (endpoint) {
        case CLAIM -> claim(exchange);
        case HEARTBEAT -> heartbeat(exchange);
        case PROCESSOR_HEARTBEAT -> processorHeartbeat(exchange);
        case COMPLETE -> complete(exchange);
        case REQUEUE -> requeue(exchange);
        case WORK_STEAL -> workSteal(exchange);
        case CLEANUP -> cleanup(exchange);
        case CLEANUP_STATS -> cleanupStats(exchange);
        case TASKS -> tasks(exchange);
        case ALL_TASKS -> allTasks(exchange);
        case METRICS -> metrics(exchange);
        case ESTIMATED_TIME -> estimatedTime(exchange);
        case TASK_STREAM -> taskStream(exchange);
        case SUBMIT -> submit(exchange);
      }
    } catch (BadRequest e) {
      Responses.error(exchange, 400, e.getMessage());
    } catch (StoreException e) {
      LOG.warn("{} failed: {}", endpoint.path(), e.getMessage());
      Responses.error(exchange, 500, serverErrorMessage(endpoint));
    }
  }

  /** The 500 message each handler of the manager writes. */
  static String serverErrorMessage(Endpoint endpoint) {
    return switch (endpoint) {
      case CLAIM -> "Failed to claim tasks";
      case HEARTBEAT -> "Failed to update heartbeat";
      case PROCESSOR_HEARTBEAT -> "Failed to update processor metrics";
      case COMPLETE -> "Failed to complete task";
      case REQUEUE -> "Failed to requeue task";
      case WORK_STEAL -> "Failed to steal tasks";
      case CLEANUP -> "Cleanup failed";
      case CLEANUP_STATS -> "Failed to get cleanup stats";
      case TASKS, ALL_TASKS -> "Failed to get tasks";
      case METRICS -> "Failed to get metrics";
      case ESTIMATED_TIME -> "Failed to estimate time";
      case TASK_STREAM -> "Failed to open task stream";
      case SUBMIT -> "Failed to create tasks";
    };
  }

  private static RequestBody body(HttpExchange exchange) throws IOException, BadRequest {
    try {
      return RequestBody.parse(Responses.readBody(exchange, MAX_BODY_BYTES));
    } catch (InvalidJsonException | Responses.BodyTooLargeException e) {
      throw new BadRequest("Invalid JSON");
    }
  }

  private static boolean missing(String value) {
    return value == null || value.isEmpty();
  }

  private static String processorIdOf(RequestBody body, String message)
      throws BadRequest, InvalidJsonException {
    String processorId = body.string("processor_id");
    if (missing(processorId)) {
      throw new BadRequest(message);
    }
    return processorId;
  }

  // ---- 4.1 claim -------------------------------------------------------------------------

  private void claim(HttpExchange exchange) throws IOException, BadRequest {
    RequestBody body = body(exchange);
    String processorId;
    Long batchSize;
    Long timeoutMs;
    Boolean fair;
    Double load;
    try {
      processorId = body.string("processor_id");
      batchSize = body.int64("batch_size");
      timeoutMs = body.int64("timeout_ms");
      fair = body.bool("use_fair_distribution");
      load = body.float64("processor_load");
    } catch (InvalidJsonException e) {
      throw new BadRequest("Invalid JSON");
    }
    if (missing(processorId)) {
      throw new BadRequest("processor_id is required");
    }
    int batch = batchSize == null || batchSize < 1 || batchSize > 20 ? 5 : batchSize.intValue();
    long timeout = timeoutMs == null || timeoutMs <= 0 ? DEFAULT_TIMEOUT_MS : timeoutMs;
    if (Boolean.TRUE.equals(fair)) {
      double processorLoad = load == null ? 0.0 : load;
      long adjusted = (long) Math.max(1, Math.ceil(batch * (1 - processorLoad / 2)));
      int adjustedBatch = (int) Math.min(adjusted, 1_000_000);
      List<TaskRecord> claimed = store.claimFair(processorId, adjustedBatch, timeout);
      String info =
          "Load: "
              + goNumber(processorLoad)
              + ", Adjusted batch size: "
              + adjustedBatch
              + ", Claimed: "
              + claimed.size();
      Responses.json(
          exchange,
          200,
          WireJson.sortedObject(
              "claimed_count",
              claimed.size(),
              "fair_distribution_info",
              info,
              "success",
              true,
              "tasks",
              tasksArray(claimed, TaskJson.View.FAIR_CLAIMED)));
      return;
    }
    List<TaskRecord> claimed = store.claim(processorId, batch, timeout);
    Responses.json(
        exchange,
        200,
        WireJson.sortedObject(
            "claimed_count", claimed.size(),
            "success", true,
            "tasks", tasksArray(claimed, TaskJson.View.CLAIMED)));
  }

  /** A float as Go's {@code %v} prints it: {@code 0.2}, {@code 1}, {@code 0}. */
  private static String goNumber(double value) {
    return WireJson.goFloat(value).toString();
  }

  private static ArrayNode tasksArray(List<TaskRecord> tasks, TaskJson.View view) {
    ArrayNode array = WireJson.NODES.arrayNode();
    for (TaskRecord task : tasks) {
      array.add(TaskJson.write(task, view));
    }
    return array;
  }

  // ---- 4.2 heartbeat, 4.3 processor-heartbeat ------------------------------------------

  private static MetricsUpdate metricsOf(RequestBody body) throws InvalidJsonException {
    return new MetricsUpdate(
        body.float64("cpu_usage"), body.float64("memory_usage"), body.int64("queue_size"));
  }

  private void heartbeat(HttpExchange exchange) throws IOException, BadRequest {
    RequestBody body = body(exchange);
    String taskId;
    String processorId;
    MetricsUpdate metrics;
    try {
      taskId = body.string("taskId");
      processorId = body.string("processor_id");
      metrics = metricsOf(body);
    } catch (InvalidJsonException e) {
      throw new BadRequest("Invalid JSON");
    }
    if (missing(taskId) || missing(processorId)) {
      throw new BadRequest("taskId and processor_id are required");
    }
    boolean owned = store.heartbeat(taskId, processorId, metrics.isEmpty() ? null : metrics);
    if (!owned) {
      Responses.error(exchange, 404, "Task not found or not owned by processor");
      return;
    }
    Responses.json(exchange, 200, WireJson.sortedObject("success", true));
  }

  private void processorHeartbeat(HttpExchange exchange) throws IOException, BadRequest {
    RequestBody body = body(exchange);
    String processorId;
    MetricsUpdate metrics;
    try {
      processorId = body.string("processor_id");
      metrics = metricsOf(body);
    } catch (InvalidJsonException e) {
      throw new BadRequest("Invalid JSON");
    }
    if (missing(processorId)) {
      throw new BadRequest("processor_id is required");
    }
    store.processorHeartbeat(processorId, metrics);
    Responses.json(exchange, 200, WireJson.sortedObject("success", true));
  }

  // ---- 4.4 complete ----------------------------------------------------------------------

  /** The fields of a complete call, all read before any is validated, as Go decodes them. */
  private record CompleteRequest(
      String taskId, String status, String result, String errorMessage, String processorId) {
    static final CompleteRequest UNREADABLE = new CompleteRequest(null, null, null, null, null);

    static CompleteRequest decode(RequestBody body) throws InvalidJsonException {
      return new CompleteRequest(
          body.string("taskId"),
          body.string("status"),
          body.string("result"),
          body.string("error_message"),
          body.string("processor_id"));
    }
  }

  private void complete(HttpExchange exchange) throws IOException {
    CompleteRequest request = CompleteRequest.UNREADABLE;
    boolean updated;
    try {
      try {
        request = CompleteRequest.decode(body(exchange));
      } catch (InvalidJsonException e) {
        throw new BadRequest("Invalid JSON");
      }
      if (missing(request.taskId())) {
        throw new BadRequest("taskId is required");
      }
      TaskStatus status;
      if (TaskStatus.COMPLETED.wire().equals(request.status())) {
        status = TaskStatus.COMPLETED;
      } else if (TaskStatus.FAILED.wire().equals(request.status())) {
        status = TaskStatus.FAILED;
      } else {
        throw new BadRequest("status must be 'completed' or 'failed'");
      }
      updated = store.complete(request.taskId(), status, request.result(), request.errorMessage());
    } catch (BadRequest e) {
      record(request, 400);
      Responses.error(exchange, 400, e.getMessage());
      return;
    } catch (StoreException e) {
      record(request, 500);
      throw e;
    }
    if (updated) {
      record(request, 200);
      Responses.json(exchange, 200, WireJson.sortedObject("success", true));
    } else {
      record(request, 404);
      Responses.error(exchange, 404, "Task not found or not updated");
    }
  }

  private void record(CompleteRequest request, int answered) {
    completeRecorder.accept(
        new CompleteCall(
            request.taskId(),
            request.processorId(),
            request.status(),
            request.errorMessage(),
            answered,
            options.clock().millis()));
  }

  // ---- 4.5 requeue -----------------------------------------------------------------------

  private void requeue(HttpExchange exchange) throws IOException, BadRequest {
    RequestBody body = body(exchange);
    String taskId;
    String processorId;
    String reason;
    try {
      taskId = body.string("taskId");
      processorId = body.string("processor_id");
      reason = body.string("reason");
    } catch (InvalidJsonException e) {
      throw new BadRequest("Invalid JSON");
    }
    if (missing(taskId) || missing(processorId)) {
      throw new BadRequest("taskId and processor_id are required");
    }
    store.requeue(taskId, processorId, reason == null ? "" : reason);
    Responses.json(exchange, 200, WireJson.sortedObject("success", true));
  }

  // ---- 4.6 work-steal --------------------------------------------------------------------

  private void workSteal(HttpExchange exchange) throws IOException, BadRequest {
    RequestBody body = body(exchange);
    String processorId;
    Long maxSteal;
    Long timeoutMs;
    try {
      processorId = processorIdOf(body, "processor_id is required");
      maxSteal = body.int64("max_steal_count");
      timeoutMs = body.int64("timeout_ms");
    } catch (InvalidJsonException e) {
      throw new BadRequest("Invalid JSON");
    }
    int count = maxSteal == null || maxSteal < 1 || maxSteal > 5 ? 2 : maxSteal.intValue();
    long timeout = timeoutMs == null || timeoutMs <= 0 ? DEFAULT_TIMEOUT_MS : timeoutMs;
    long stealAfterMs = options.stealAfter().toMillis();
    int ownerMinimum = options.stealOwnerMinimum();
    List<TaskRecord> stolen;
    if (faults.stealPause().isEmpty()) {
      stolen = store.steal(processorId, count, timeout, stealAfterMs, ownerMinimum);
    } else {
      List<TaskRecord> selected =
          store.selectStealable(processorId, count, stealAfterMs, ownerMinimum);
      if (!selected.isEmpty() && !awaitStealWindow()) {
        return;
      }
      stolen = store.assignStolen(processorId, selected, timeout);
    }
    Responses.json(
        exchange,
        200,
        WireJson.sortedObject(
            "stolen_count", stolen.size(),
            "stolen_tasks", tasksArray(stolen, TaskJson.View.STOLEN),
            "success", true));
  }

  /** Waits out a split steal's window; false when the server closes meanwhile (no answer). */
  private boolean awaitStealWindow() {
    try {
      return faults.awaitStealWindow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- 4.7 cleanup, 4.8 cleanup/stats ------------------------------------------------------

  private void cleanup(HttpExchange exchange) throws IOException {
    CleanupReport report = store.cleanup(options.staleAfter().toMillis());
    Responses.json(exchange, 200, cleanupBody(report));
  }

  static JsonNode cleanupBody(CleanupReport report) {
    return WireJson.sortedObject(
        "cleaned",
            WireJson.sortedObject(
                "failed", report.failed(),
                "rateLimits", report.rateLimits(),
                "tasks", report.deletedTasks(),
                "timedout", report.timedout()),
        "message", "Cleanup completed",
        "stats", statsBody(report.stats()));
  }

  private static JsonNode statsBody(CleanupStats stats) {
    return WireJson.sortedObject(
        "completedTasks", stats.completedTasks(),
        "failedTasks", stats.failedTasks(),
        "pendingTasks", stats.pendingTasks(),
        "processingTasks", stats.processingTasks(),
        "rateLimitRecords", stats.rateLimitRecords(),
        "tasksOlderThan7Days", stats.tasksOlderThan7Days(),
        "timedoutTasks", stats.timedoutTasks(),
        "totalTasks", stats.totalTasks());
  }

  private void cleanupStats(HttpExchange exchange) throws IOException {
    CleanupStats stats = store.stats(options.staleAfter().toMillis());
    Responses.json(
        exchange, 200, WireJson.sortedObject("stats", statsBody(stats), "success", true));
  }

  // ---- 4.9 tasks, all-tasks --------------------------------------------------------------

  private void tasks(HttpExchange exchange) throws IOException {
    long limit = Responses.atoi(Responses.query(exchange).get("limit"), 20);
    if (limit < 1 || limit > 100) {
      limit = 20;
    }
    List<TaskRecord> pending = store.pending((int) limit);
    Responses.json(exchange, 200, tasksBody(pending, TaskJson.View.PENDING));
  }

  private void allTasks(HttpExchange exchange) throws IOException {
    Map<String, String> query = Responses.query(exchange);
    long limit = Responses.atoi(query.get("limit"), 50);
    if (limit < 1 || limit > 1000) {
      limit = 50;
    }
    long offset = Responses.atoi(query.get("offset"), 0);
    if (offset < 0 || offset > Integer.MAX_VALUE) {
      offset = 0;
    }
    String userId = query.get("user_id");
    List<TaskRecord> tasks = store.all((int) limit, (int) offset, missing(userId) ? null : userId);
    Responses.json(exchange, 200, tasksBody(tasks, TaskJson.View.FULL));
  }

  /** {@code {"tasks":[...]}}, or {@code {"tasks":null}} when empty, as Go writes a nil slice. */
  private static JsonNode tasksBody(List<TaskRecord> tasks, TaskJson.View view) {
    return WireJson.sortedObject("tasks", tasks.isEmpty() ? null : tasksArray(tasks, view));
  }

  // ---- 4.10 metrics, estimated-time ------------------------------------------------------

  private void metrics(HttpExchange exchange) throws IOException {
    ArrayNode processors = WireJson.NODES.arrayNode();
    for (ProcessorMetricsRow row : store.metrics(METRICS_WINDOW_MS)) {
      processors.add(
          WireJson.sortedObject(
              "active_tasks", row.activeTasks(),
              "avg_processing_time", row.avgProcessingTimeMs(),
              "cpu_usage", row.cpuUsage(),
              "last_updated", row.lastUpdated(),
              "memory_usage", row.memoryUsage(),
              "processor_id", row.processorId(),
              "queue_size", row.queueSize()));
    }
    Responses.json(exchange, 200, WireJson.sortedObject("processors", processors, "success", true));
  }

  private void estimatedTime(HttpExchange exchange) throws IOException {
    long pending = store.countByStatus().get(TaskStatus.PENDING);
    int processors = Math.max(1, store.metrics(METRICS_WINDOW_MS).size());
    double perTaskMs = store.recentProcessingTimeMs(100).orElse(30_000.0);
    double waitMs = Math.ceil((double) pending / processors) * perTaskMs;
    Responses.json(
        exchange, 200, WireJson.sortedObject("estimated_time", waitText(waitMs), "success", true));
  }

  /** devstack's wording of a wait, in the manager's style and language. */
  static String waitText(double waitMs) {
    double seconds = waitMs / 1000.0;
    if (seconds < 10) {
      return "< 10 секунд";
    }
    if (seconds < 60) {
      return "10-60 секунд";
    }
    if (seconds < 120) {
      return "1-2 минуты";
    }
    if (seconds < 300) {
      return "2-5 минут";
    }
    if (seconds < 600) {
      return "5-10 минут";
    }
    return "более 10 минут";
  }

  // ---- 5 task-stream ---------------------------------------------------------------------

  private void taskStream(HttpExchange exchange) throws IOException {
    Map<String, String> query = Responses.query(exchange);
    String processorId = query.get("processor_id");
    if (missing(processorId)) {
      Responses.error(exchange, 400, "Missing processor_id parameter");
      return;
    }
    if (faults.refusingSse()) {
      Responses.error(exchange, faults.refuseSseStatus(), "task stream refused (devstack fault)");
      return;
    }
    if (stream.isClosed()) {
      Responses.error(exchange, 503, "server is shutting down");
      return;
    }
    stream.serve(
        exchange,
        processorId,
        sseLimits.heartbeatMs(query.get("heartbeat")),
        sseLimits.maxDurationMs(query.get("maxDuration")),
        () -> store.pending(TaskStreamHub.REPLAY_LIMIT));
  }

  // ---- extension: submit -----------------------------------------------------------------

  private void submit(HttpExchange exchange) throws IOException, BadRequest {
    JsonNode value;
    try {
      value = RequestBody.firstValue(Responses.readBody(exchange, MAX_BODY_BYTES));
    } catch (InvalidJsonException | Responses.BodyTooLargeException e) {
      throw new BadRequest("Invalid JSON");
    }
    List<NewTask> tasks = new ArrayList<>();
    if (value.isArray()) {
      if (value.isEmpty()) {
        throw new BadRequest("at least one task is required");
      }
      int index = 0;
      for (JsonNode item : value) {
        tasks.add(newTask(item, "tasks[" + index + "]: "));
        index++;
      }
    } else {
      tasks.add(newTask(value, ""));
    }
    List<TaskRecord> created = store.insert(tasks);
    for (TaskRecord task : created) {
      stream.broadcast(task);
    }
    ArrayNode ids = WireJson.NODES.arrayNode();
    created.forEach(task -> ids.add(task.id()));
    Responses.json(exchange, 200, WireJson.sortedObject("success", true, "task_ids", ids));
  }

  /** One submitted task object; {@code where} prefixes error messages. */
  static NewTask newTask(JsonNode item, String where) throws BadRequest {
    if (!item.isObject()) {
      throw new BadRequest(where + "a task must be a JSON object, got " + item.getNodeType());
    }
    try {
      RequestBody fields = RequestBody.of(item);
      String productData = fields.string("product_data");
      Long priority = fields.int64("priority");
      Long maxRetries = fields.int64("max_retries");
      String userId = fields.string("user_id");
      JsonNode params = fields.raw("ollama_params");
      if (missing(productData)) {
        throw new BadRequest(where + "product_data is required (a non-empty string)");
      }
      if (priority != null && (priority < Integer.MIN_VALUE || priority > Integer.MAX_VALUE)) {
        throw new BadRequest(where + "priority must fit in 32 bits, got " + priority);
      }
      if (maxRetries != null && (maxRetries < 0 || maxRetries > Integer.MAX_VALUE)) {
        throw new BadRequest(where + "max_retries must be >= 0, got " + maxRetries);
      }
      String ollamaParams = params == null ? null : normalizedParams(params, where);
      return new NewTask(
          productData,
          priority == null ? 0 : priority.intValue(),
          ollamaParams,
          maxRetries == null ? NewTask.DEFAULT_MAX_RETRIES : maxRetries.intValue(),
          userId);
    } catch (InvalidJsonException e) {
      throw new BadRequest(where + e.getMessage());
    }
  }

  private static String normalizedParams(JsonNode params, String where) throws BadRequest {
    try {
      if (params.isString()) {
        return params.stringValue().isEmpty() ? null : OllamaParams.normalize(params.stringValue());
      }
      return OllamaParams.normalize(params);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(where + e.getMessage());
    }
  }

  /** Creates tasks directly (Java API) and announces them like the endpoint does. */
  List<String> submitDirect(List<NewTask> tasks) {
    List<TaskRecord> created = store.insert(tasks);
    created.forEach(stream::broadcast);
    return created.stream().map(TaskRecord::id).toList();
  }
}
