package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.TaskStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Records every change of a task's owner or status in a devstack manager's database, with the old
 * heartbeat, through a trigger on its {@code tasks} table: claims, steals, requeues and finishes,
 * each at the millisecond it was written. The manager tells nobody whom it handed a task to by
 * steal or when its cleanup requeued one; its database does, in the same transaction, so nothing is
 * sampled and nothing is missed (a double hand-out is two steal updates of one task milliseconds
 * apart).
 *
 * <p>The time is the row's new {@code updated_at} (the manager's own clock) where the update sets
 * it, which claim, steal and complete do; a requeue does not, so SQLite's clock (the same system
 * clock, 1 ms resolution) stands in.
 */
final class LeaseLog {
  private static final String[] DDL = {
    """
    CREATE TABLE IF NOT EXISTS bench_lease_log (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL,
      old_status TEXT NOT NULL,
      new_status TEXT NOT NULL,
      old_owner TEXT,
      new_owner TEXT,
      old_heartbeat_at INTEGER,
      at INTEGER NOT NULL
    )""",
    """
    CREATE TRIGGER IF NOT EXISTS bench_lease_log_update
    AFTER UPDATE OF status, processor_id ON tasks
    WHEN OLD.status IS NOT NEW.status OR OLD.processor_id IS NOT NEW.processor_id
    BEGIN
      INSERT INTO bench_lease_log
        (task_id, old_status, new_status, old_owner, new_owner, old_heartbeat_at, at)
      VALUES
        (NEW.id, OLD.status, NEW.status, OLD.processor_id, NEW.processor_id, OLD.heartbeat_at,
         CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at
              ELSE CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) END);
    END"""
  };

  private final String url;

  private LeaseLog(String url) {
    this.url = url;
  }

  /**
   * Installs the log into the manager database at {@code database}; changes from then on are
   * recorded.
   *
   * @throws BenchException when the database cannot be opened or changed
   */
  static LeaseLog install(Path database) {
    LeaseLog log = new LeaseLog("jdbc:sqlite:" + database.toAbsolutePath());
    try (Connection c = log.connect();
        Statement statement = c.createStatement()) {
      for (String ddl : DDL) {
        statement.execute(ddl);
      }
    } catch (SQLException e) {
      throw new BenchException("cannot install the lease log into " + database + ": " + e);
    }
    return log;
  }

  /** Every change recorded so far, in the order written. */
  List<LeaseEvent> events() {
    List<LeaseEvent> events = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT task_id, old_status, new_status, old_owner, new_owner, old_heartbeat_at,"
                    + " at FROM bench_lease_log ORDER BY seq");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long heartbeat = rs.getLong(6);
        Long oldHeartbeatAt = rs.wasNull() ? null : heartbeat;
        events.add(
            new LeaseEvent(
                rs.getString(1),
                TaskStatus.fromWire(rs.getString(2)),
                TaskStatus.fromWire(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                oldHeartbeatAt,
                rs.getLong(7)));
      }
    } catch (SQLException e) {
      throw new BenchException("cannot read the lease log at " + url + ": " + e);
    }
    return events;
  }

  private Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    return config.createConnection(url);
  }
}
