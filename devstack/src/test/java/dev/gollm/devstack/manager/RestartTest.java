package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database outlives the server: a new server on the same file sees every task. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void aServerRestartedOnTheSameFileSeesTheTasksAndTheirState() {
    Path db = dir.resolve("manager.db");
    ManagerOptions options = ManagerOptions.builder().database(db).build();
    List<String> ids;
    String claimed;
    try (ManagerServer first = ManagerServer.start(options)) {
      ids = first.submitMany("t", 3);
      claimed = new ManagerClient(first).claimIds("proc-1", 1).getFirst();
    }

    try (ManagerServer second = ManagerServer.start(options)) {
      assertThat(second.allTasks()).extracting(TaskRecord::id).containsExactlyElementsOf(ids);
      assertThat(second.requireTask(claimed).processorId()).isEqualTo("proc-1");
      assertThat(second.count(TaskStatus.PENDING)).isEqualTo(2);
      assertThat(new ManagerClient(second).claimIds("proc-2", 5))
          .hasSize(2)
          .doesNotContain(claimed);
    }
    assertThat(db).exists();
  }

  @Test
  void aTemporaryDatabaseIsDeletedOnClose() {
    Path db;
    try (ManagerServer server = ManagerServer.start()) {
      server.submit("mug");
      db = server.databasePath();
      assertThat(db).exists();
    }

    assertThat(db).doesNotExist();
  }
}
