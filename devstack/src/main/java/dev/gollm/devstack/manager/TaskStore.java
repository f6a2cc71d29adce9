package dev.gollm.devstack.manager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The manager's SQLite database: the {@code tasks}, {@code processor_metrics} and {@code
 * rate_limits} tables of the Go manager's inline schema, in WAL mode with {@code
 * synchronous=NORMAL}.
 *
 * <p>Every write goes through one connection under one lock, so each operation (a whole claim
 * batch, a steal, a cleanup) is atomic with respect to every other: no task can be handed to two
 * processors, unless a steal is run in its two separate steps as the real manager runs it ({@link
 * #selectStealable}, {@link #assignStolen}). Reads that serve listings use a second connection,
 * which WAL lets run beside the writer.
 */
public final class TaskStore implements AutoCloseable {
  private static final String COLUMNS =
      "id, user_id, product_data, status, result, error_message, created_at, updated_at,"
          + " completed_at, priority, retry_count, max_retries, processor_id,"
          + " processing_started_at, heartbeat_at, timeout_at, ollama_params, estimated_duration,"
          + " actual_duration, rating";

  private static final String[] SCHEMA = {
    """
    CREATE TABLE IF NOT EXISTS tasks (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      product_data TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
      result TEXT,
      error_message TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      completed_at INTEGER,
      priority INTEGER DEFAULT 0,
      retry_count INTEGER DEFAULT 0,
      max_retries INTEGER DEFAULT 3,
      processor_id TEXT,
      processing_started_at INTEGER,
      heartbeat_at INTEGER,
      timeout_at INTEGER,
      ollama_params TEXT,
      estimated_duration INTEGER DEFAULT 300000,
      actual_duration INTEGER,
      rating TEXT CHECK (rating IN ('upvote', 'downvote'))
    )""",
    "CREATE INDEX IF NOT EXISTS idx_tasks_status_priority_created"
        + " ON tasks(status, priority DESC, created_at ASC)",
    "CREATE INDEX IF NOT EXISTS idx_tasks_processor_id ON tasks(processor_id)",
    "CREATE INDEX IF NOT EXISTS idx_tasks_user_id ON tasks(user_id)",
    "CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)",
    """
    CREATE TABLE IF NOT EXISTS processor_metrics (
      processor_id TEXT PRIMARY KEY,
      cpu_usage REAL DEFAULT 0,
      memory_usage REAL DEFAULT 0,
      queue_size INTEGER DEFAULT 0,
      active_tasks INTEGER DEFAULT 0,
      last_updated INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    )""",
    """
    CREATE TABLE IF NOT EXISTS rate_limits (
      user_id TEXT PRIMARY KEY,
      request_count INTEGER DEFAULT 0,
      window_start INTEGER NOT NULL,
      last_request INTEGER NOT NULL
    )"""
  };

  /** Finished tasks and idle metric rows older than this are deleted by cleanup. */
  static final long RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

  private static final String REQUEUE_SQL =
      "UPDATE tasks SET status = 'pending', processor_id = NULL, heartbeat_at = NULL,"
          + " processing_started_at = NULL, timeout_at = NULL, retry_count = retry_count + 1,"
          + " error_message = ? WHERE id = ? AND processor_id = ? AND status = 'processing'";

  private final InstantSource clock;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Connection writer;
  private final Connection reader;

  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement selectPending;
  private final PreparedStatement claimOne;
  private final PreparedStatement heartbeat;
  private final PreparedStatement upsertMetrics;
  private final PreparedStatement countProcessing;
  private final PreparedStatement complete;
  private final PreparedStatement requeue;
  private final PreparedStatement selectStealable;
  private final PreparedStatement stealOne;
  private final PreparedStatement insert;
  private final PreparedStatement selectById;

  private TaskStore(Path database, InstantSource clock) throws SQLException {
    this.clock = clock;
    String url = "jdbc:sqlite:" + database.toAbsolutePath();
    this.writer = connect(url);
    try (Statement statement = writer.createStatement()) {
      for (String ddl : SCHEMA) {
        statement.execute(ddl);
      }
    }
    this.reader = connect(url);
    this.begin = writer.prepareStatement("BEGIN IMMEDIATE");
    this.commit = writer.prepareStatement("COMMIT");
    this.rollback = writer.prepareStatement("ROLLBACK");
    this.selectPending =
        writer.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM tasks WHERE status = 'pending'"
                + " ORDER BY priority DESC, created_at ASC, rowid ASC LIMIT ?");
    this.claimOne =
        writer.prepareStatement(
            "UPDATE tasks SET status = 'processing', processor_id = ?,"
                + " processing_started_at = ?, heartbeat_at = ?, timeout_at = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'pending'");
    this.heartbeat =
        writer.prepareStatement(
            "UPDATE tasks SET heartbeat_at = ?, updated_at = ?"
                + " WHERE id = ? AND processor_id = ? AND status = 'processing'");
    this.upsertMetrics =
        writer.prepareStatement(
            "INSERT INTO processor_metrics (processor_id, cpu_usage, memory_usage, queue_size,"
                + " active_tasks, last_updated, created_at)"
                + " VALUES (?1, coalesce(?2, 0), coalesce(?3, 0), coalesce(?4, 0), ?5, ?6, ?6)"
                + " ON CONFLICT(processor_id) DO UPDATE SET"
                + " cpu_usage = coalesce(?2, cpu_usage), memory_usage = coalesce(?3, memory_usage),"
                + " queue_size = coalesce(?4, queue_size), active_tasks = ?5, last_updated = ?6");
    this.countProcessing =
        writer.prepareStatement(
            "SELECT COUNT(*) FROM tasks WHERE processor_id = ? AND status = 'processing'");
    this.complete =
        writer.prepareStatement(
            "UPDATE tasks SET status = ?, result = ?, error_message = ?, completed_at = ?,"
                + " updated_at = ? WHERE id = ?");
    this.requeue = writer.prepareStatement(REQUEUE_SQL);
    this.selectStealable =
        writer.prepareStatement(
            "SELECT "
                + prefixed("t.")
                + " FROM tasks t JOIN (SELECT processor_id AS owner, COUNT(*) AS active"
                + " FROM tasks WHERE status = 'processing' AND processor_id IS NOT NULL"
                + " GROUP BY processor_id HAVING COUNT(*) > ?) o ON t.processor_id = o.owner"
                + " WHERE t.status = 'processing' AND t.heartbeat_at < ? AND t.processor_id <> ?"
                + " ORDER BY o.active DESC, t.priority DESC LIMIT ?");
    this.stealOne =
        writer.prepareStatement(
            "UPDATE tasks SET processor_id = ?, heartbeat_at = ?, timeout_at = ?, updated_at = ?"
                + " WHERE id = ?");
    this.insert =
        writer.prepareStatement(
            "INSERT INTO tasks (id, user_id, product_data, status, created_at, updated_at,"
                + " priority, retry_count, max_retries, ollama_params, estimated_duration)"
                + " VALUES (?, ?, ?, 'pending', ?, ?, ?, 0, ?, ?, NULL)");
    this.selectById = reader.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE id = ?");
  }

  /** Opens (creating if needed) the database file and its schema. */
  public static TaskStore open(Path database, InstantSource clock) {
    try {
      return new TaskStore(database, clock);
    } catch (SQLException e) {
      throw new StoreException("opening database " + database, e);
    }
  }

  private static Connection connect(String url) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config.createConnection(url);
  }

  private static String prefixed(String prefix) {
    return prefix + COLUMNS.replace(", ", ", " + prefix);
  }

  // ---- writes ----------------------------------------------------------------------------

  /**
   * Default claim: the first {@code batch} pending tasks by priority then age become {@code
   * processor}'s. Returns them as the claim left them.
   */
  public List<TaskRecord> claim(String processor, int batch, long timeoutMs) {
    return inTransaction(
        "claim",
        () -> {
          long now = clock.millis();
          List<TaskRecord> claimed = new ArrayList<>();
          for (TaskRecord task : query(selectPending, batch)) {
            if (claimRow(task.id(), processor, now, now + timeoutMs)) {
              claimed.add(task.claimedBy(processor, now, now + timeoutMs));
            }
          }
          return claimed;
        });
  }

  /**
   * Fair claim as the manager does it: one update over the selected tasks, then the first N
   * selected tasks are reported, N being the number of rows changed.
   */
  public List<TaskRecord> claimFair(String processor, int batch, long timeoutMs) {
    return inTransaction(
        "fair claim",
        () -> {
          long now = clock.millis();
          List<TaskRecord> selected = query(selectPending, batch);
          int changed = 0;
          for (TaskRecord task : selected) {
            if (claimRow(task.id(), processor, now, now + timeoutMs)) {
              changed++;
            }
          }
          return selected.subList(0, changed).stream()
              .map(task -> task.claimedBy(processor, now, now + timeoutMs))
              .toList();
        });
  }

  private boolean claimRow(String id, String processor, long now, long timeoutAt)
      throws SQLException {
    claimOne.setString(1, processor);
    claimOne.setLong(2, now);
    claimOne.setLong(3, now);
    claimOne.setLong(4, timeoutAt);
    claimOne.setLong(5, now);
    claimOne.setString(6, id);
    return claimOne.executeUpdate() == 1;
  }

  /**
   * Per-task heartbeat. When {@code metrics} is given, the processor's metrics row is upserted
   * first with {@code active_tasks} forced to 1, as the manager does.
   *
   * @return false when the task is unknown, owned by another processor or not processing
   */
  public boolean heartbeat(String taskId, String processor, MetricsUpdate metrics) {
    return inTransaction(
        "heartbeat",
        () -> {
          long now = clock.millis();
          if (metrics != null) {
            upsertMetricsRow(processor, metrics, 1, now);
          }
          heartbeat.setLong(1, now);
          heartbeat.setLong(2, now);
          heartbeat.setString(3, taskId);
          heartbeat.setString(4, processor);
          return heartbeat.executeUpdate() == 1;
        });
  }

  /** Processor heartbeat: upserts the metrics row, counting its processing tasks itself. */
  public void processorHeartbeat(String processor, MetricsUpdate metrics) {
    inTransaction(
        "processor heartbeat",
        () -> {
          countProcessing.setString(1, processor);
          long active;
          try (ResultSet rs = countProcessing.executeQuery()) {
            active = rs.next() ? rs.getLong(1) : 0;
          }
          upsertMetricsRow(processor, metrics, active, clock.millis());
          return null;
        });
  }

  private void upsertMetricsRow(String processor, MetricsUpdate metrics, long active, long now)
      throws SQLException {
    upsertMetrics.setString(1, processor);
    setNullableDouble(upsertMetrics, 2, metrics.cpuUsage());
    setNullableDouble(upsertMetrics, 3, metrics.memoryUsage());
    setNullableLong(upsertMetrics, 4, metrics.queueSize());
    upsertMetrics.setLong(5, active);
    upsertMetrics.setLong(6, now);
    upsertMetrics.executeUpdate();
  }

  /**
   * Completes a task by id whatever its state or owner, as the manager does.
   *
   * @return false when no task has this id
   */
  public boolean complete(String taskId, TaskStatus status, String result, String errorMessage) {
    if (status != TaskStatus.COMPLETED && status != TaskStatus.FAILED) {
      throw new IllegalArgumentException("complete needs completed or failed, got " + status);
    }
    return inTransaction(
        "complete",
        () -> {
          long now = clock.millis();
          complete.setString(1, status.wire());
          complete.setString(2, result);
          complete.setString(3, errorMessage);
          complete.setLong(4, now);
          complete.setLong(5, now);
          complete.setString(6, taskId);
          return complete.executeUpdate() == 1;
        });
  }

  /**
   * Requeues a task this processor holds: back to pending, lease cleared, retry_count + 1, reason
   * kept as error_message. Never fails a task.
   *
   * @return whether a row changed (the manager does not tell the caller)
   */
  public boolean requeue(String taskId, String processor, String reason) {
    return inTransaction("requeue", () -> requeueRow(requeue, taskId, processor, reason));
  }

  private static boolean requeueRow(
      PreparedStatement statement, String taskId, String processor, String reason)
      throws SQLException {
    statement.setString(1, reason);
    statement.setString(2, taskId);
    statement.setString(3, processor);
    return statement.executeUpdate() == 1;
  }

  /**
   * Work-steal in one transaction: moves up to {@code maxCount} processing tasks whose heartbeat is
   * older than {@code stealAfterMs}, from owners holding more than {@code ownerMinimum} processing
   * tasks, to {@code processor}; most loaded owners first, then priority. Atomic, unlike the real
   * manager's: see {@link #selectStealable} and {@link #assignStolen} for its two steps.
   */
  public List<TaskRecord> steal(
      String processor, int maxCount, long timeoutMs, long stealAfterMs, int ownerMinimum) {
    return inTransaction(
        "work-steal",
        () ->
            assignStolenRows(
                processor,
                selectStealableRows(processor, maxCount, stealAfterMs, ownerMinimum),
                timeoutMs));
  }

  /**
   * The first statement of the manager's non-atomic steal: the tasks {@link #steal} would take,
   * without taking them.
   */
  public List<TaskRecord> selectStealable(
      String processor, int maxCount, long stealAfterMs, int ownerMinimum) {
    return inTransaction(
        "work-steal select",
        () -> selectStealableRows(processor, maxCount, stealAfterMs, ownerMinimum));
  }

  /**
   * The second statement of the manager's non-atomic steal: assigns the selected tasks to {@code
   * processor} by id only, whatever happened to them since the select (another steal, a complete),
   * as the manager's unconditional update does. Returns the tasks as the steal reports them (those
   * that still exist).
   */
  public List<TaskRecord> assignStolen(
      String processor, List<TaskRecord> selected, long timeoutMs) {
    return inTransaction(
        "work-steal update", () -> assignStolenRows(processor, selected, timeoutMs));
  }

  private List<TaskRecord> selectStealableRows(
      String processor, int maxCount, long stealAfterMs, int ownerMinimum) throws SQLException {
    selectStealable.setInt(1, ownerMinimum);
    selectStealable.setLong(2, clock.millis() - stealAfterMs);
    selectStealable.setString(3, processor);
    selectStealable.setInt(4, maxCount);
    return rows(selectStealable);
  }

  private List<TaskRecord> assignStolenRows(
      String processor, List<TaskRecord> selected, long timeoutMs) throws SQLException {
    long now = clock.millis();
    List<TaskRecord> stolen = new ArrayList<>();
    for (TaskRecord task : selected) {
      stealOne.setString(1, processor);
      stealOne.setLong(2, now);
      stealOne.setLong(3, now + timeoutMs);
      stealOne.setLong(4, now);
      stealOne.setString(5, task.id());
      if (stealOne.executeUpdate() == 1) {
        stolen.add(task.stolenBy(processor, now, now + timeoutMs));
      }
    }
    return stolen;
  }

  /**
   * The manager's cleanup: stats first, then delete finished tasks older than 7 days, requeue or
   * fail processing tasks whose heartbeat is older than {@code staleAfterMs} (or missing), delete
   * idle rate-limit and metrics rows.
   */
  public CleanupReport cleanup(long staleAfterMs) {
    return inTransaction(
        "cleanup",
        () -> {
          long now = clock.millis();
          CleanupStats stats = statsOn(writer, now, staleAfterMs);
          long deleted =
              update(
                  "DELETE FROM tasks WHERE status IN ('completed', 'failed') AND completed_at < ?",
                  now - RETENTION_MS);
          long timedout = 0;
          long failed = 0;
          record Stale(String id, String processor, int retryCount, int maxRetries) {}
          List<Stale> staleTasks = new ArrayList<>();
          try (PreparedStatement select =
              writer.prepareStatement(
                  "SELECT id, processor_id, retry_count, max_retries FROM tasks"
                      + " WHERE status = 'processing' AND processor_id IS NOT NULL"
                      + " AND (heartbeat_at IS NULL OR heartbeat_at < ?)")) {
            select.setLong(1, now - staleAfterMs);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                staleTasks.add(
                    new Stale(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)));
              }
            }
          }
          try (PreparedStatement fail =
              writer.prepareStatement(
                  "UPDATE tasks SET status = 'failed', error_message = ?, completed_at = ?,"
                      + " updated_at = ? WHERE id = ? AND status = 'processing'")) {
            for (Stale task : staleTasks) {
              if (task.retryCount() + 1 < task.maxRetries()) {
                if (requeueRow(
                    requeue, task.id(), task.processor(), "manager: heartbeat timeout")) {
                  timedout++;
                }
              } else {
                fail.setString(1, "Task failed: heartbeat timeout, max retries reached");
                fail.setLong(2, now);
                fail.setLong(3, now);
                fail.setString(4, task.id());
                failed += fail.executeUpdate();
              }
            }
          }
          long rateLimits =
              update("DELETE FROM rate_limits WHERE last_request < ?", now - RETENTION_MS);
          update("DELETE FROM processor_metrics WHERE last_updated < ?", now - RETENTION_MS);
          return new CleanupReport(stats, deleted, timedout, failed, rateLimits);
        });
  }

  private long update(String sql, long parameter) throws SQLException {
    try (PreparedStatement statement = writer.prepareStatement(sql)) {
      statement.setLong(1, parameter);
      return statement.executeUpdate();
    }
  }

  /** Inserts pending tasks in one transaction; returns them as stored, in the given order. */
  public List<TaskRecord> insert(List<NewTask> tasks) {
    return inTransaction(
        "insert",
        () -> {
          long now = clock.millis();
          List<TaskRecord> created = new ArrayList<>(tasks.size());
          for (NewTask task : tasks) {
            String id = UUID.randomUUID().toString();
            insert.setString(1, id);
            insert.setString(2, task.userId());
            insert.setString(3, task.productData());
            insert.setLong(4, now);
            insert.setLong(5, now);
            insert.setInt(6, task.priority());
            insert.setInt(7, task.maxRetries());
            insert.setString(8, task.ollamaParams());
            insert.executeUpdate();
            created.add(
                new TaskRecord(
                    id,
                    task.userId(),
                    task.productData(),
                    TaskStatus.PENDING,
                    null,
                    null,
                    now,
                    now,
                    null,
                    task.priority(),
                    0,
                    task.maxRetries(),
                    null,
                    null,
                    null,
                    null,
                    task.ollamaParams(),
                    null,
                    null,
                    null));
          }
          return created;
        });
  }

  // ---- reads -----------------------------------------------------------------------------

  /** Up to {@code limit} pending tasks by priority then age; claims nothing. */
  public List<TaskRecord> pending(int limit) {
    return read(
        "list pending tasks",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM tasks WHERE status = 'pending'"
                      + " ORDER BY priority DESC, created_at ASC, rowid ASC LIMIT ?")) {
            return query(statement, limit);
          }
        });
  }

  /** Tasks in every state, newest first, optionally of one user. */
  public List<TaskRecord> all(int limit, int offset, String userId) {
    return read(
        "list all tasks",
        connection -> {
          String where = userId == null ? "" : " WHERE user_id = ?";
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM tasks"
                      + where
                      + " ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?")) {
            int i = 1;
            if (userId != null) {
              statement.setString(i++, userId);
            }
            statement.setInt(i++, limit);
            statement.setInt(i, offset);
            return rows(statement);
          }
        });
  }

  /** Every task, oldest first. */
  public List<TaskRecord> all() {
    return read(
        "list every task",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT " + COLUMNS + " FROM tasks ORDER BY created_at ASC, rowid ASC")) {
            return rows(statement);
          }
        });
  }

  /** The task with this id, if any. */
  public Optional<TaskRecord> find(String taskId) {
    return read(
        "find task",
        connection -> {
          selectById.setString(1, taskId);
          List<TaskRecord> found = rows(selectById);
          return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
  }

  /** The number of tasks in each state (every state present, zero included). */
  public Map<TaskStatus, Long> countByStatus() {
    return read(
        "count tasks",
        connection -> {
          Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
          for (TaskStatus status : TaskStatus.values()) {
            counts.put(status, 0L);
          }
          try (PreparedStatement statement =
                  connection.prepareStatement(
                      "SELECT status, COUNT(*) FROM tasks GROUP BY status");
              ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              counts.put(TaskStatus.fromWire(rs.getString(1)), rs.getLong(2));
            }
          }
          return counts;
        });
  }

  /** The counts of cleanup/stats; {@code timedoutTasks} uses {@code staleAfterMs}. */
  public CleanupStats stats(long staleAfterMs) {
    return read("cleanup stats", connection -> statsOn(connection, clock.millis(), staleAfterMs));
  }

  private static CleanupStats statsOn(Connection connection, long now, long staleAfterMs)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT COUNT(*), SUM(status = 'pending'), SUM(status = 'processing'),"
                + " SUM(status = 'completed'), SUM(status = 'failed'),"
                + " SUM(status IN ('completed', 'failed') AND completed_at < ?),"
                + " SUM(status = 'processing' AND heartbeat_at < ?),"
                + " (SELECT COUNT(*) FROM rate_limits) FROM tasks")) {
      statement.setLong(1, now - RETENTION_MS);
      statement.setLong(2, now - staleAfterMs);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new CleanupStats(
            rs.getLong(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getLong(8),
            rs.getLong(6),
            rs.getLong(7));
      }
    }
  }

  /**
   * Metrics rows updated within {@code activeWithinMs}, least loaded first ({@code cpu×0.3 +
   * memory×0.3 + active×0.4}).
   */
  public List<ProcessorMetricsRow> metrics(long activeWithinMs) {
    return read(
        "processor metrics",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT m.processor_id, m.cpu_usage, m.memory_usage, m.queue_size,"
                      + " m.active_tasks, m.last_updated,"
                      + " (SELECT AVG(t.completed_at - t.processing_started_at) FROM tasks t"
                      + " WHERE t.processor_id = m.processor_id AND t.status = 'completed'"
                      + " AND t.processing_started_at IS NOT NULL)"
                      + " FROM processor_metrics m WHERE m.last_updated > ?"
                      + " ORDER BY m.cpu_usage * 0.3 + m.memory_usage * 0.3"
                      + " + m.active_tasks * 0.4 ASC")) {
            statement.setLong(1, clock.millis() - activeWithinMs);
            List<ProcessorMetricsRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new ProcessorMetricsRow(
                        rs.getString(1),
                        rs.getDouble(2),
                        rs.getDouble(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getDouble(7)));
              }
            }
            return rows;
          }
        });
  }

  /**
   * Mean processing time in ms of the last {@code sample} completed tasks, or empty when none has
   * completed.
   */
  public Optional<Double> recentProcessingTimeMs(int sample) {
    return read(
        "processing time",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT AVG(d) FROM (SELECT completed_at - processing_started_at AS d"
                      + " FROM tasks WHERE status = 'completed'"
                      + " AND processing_started_at IS NOT NULL"
                      + " ORDER BY completed_at DESC LIMIT ?)")) {
            statement.setInt(1, sample);
            try (ResultSet rs = statement.executeQuery()) {
              rs.next();
              double average = rs.getDouble(1);
              return rs.wasNull() ? Optional.empty() : Optional.of(average);
            }
          }
        });
  }

  // ---- plumbing --------------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  @FunctionalInterface
  private interface SqlRead<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inTransaction(String operation, SqlWork<T> work) {
    writeLock.lock();
    try {
      begin.execute();
      try {
        T result = work.run();
        commit.execute();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    } finally {
      writeLock.unlock();
    }
  }

  private void rollbackQuietly(Exception cause) {
    try {
      rollback.execute();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private <T> T read(String operation, SqlRead<T> work) {
    readLock.lock();
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    } finally {
      readLock.unlock();
    }
  }

  private static List<TaskRecord> query(PreparedStatement statement, int limit)
      throws SQLException {
    statement.setInt(1, limit);
    return rows(statement);
  }

  private static List<TaskRecord> rows(PreparedStatement statement) throws SQLException {
    List<TaskRecord> tasks = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        tasks.add(
            new TaskRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                TaskStatus.fromWire(rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                rs.getLong(7),
                rs.getLong(8),
                nullableLong(rs, 9),
                rs.getInt(10),
                rs.getInt(11),
                rs.getInt(12),
                rs.getString(13),
                nullableLong(rs, 14),
                nullableLong(rs, 15),
                nullableLong(rs, 16),
                rs.getString(17),
                nullableLong(rs, 18),
                nullableLong(rs, 19),
                rs.getString(20)));
      }
    }
    return tasks;
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static void setNullableDouble(PreparedStatement statement, int index, Double value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.REAL);
    } else {
      statement.setDouble(index, value);
    }
  }

  private static void setNullableLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }

  /** Closes both connections; SQLite checkpoints the WAL when the last one closes. */
  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      reader.close();
      writer.close();
    } catch (SQLException e) {
      throw new StoreException("closing database", e);
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }
}
