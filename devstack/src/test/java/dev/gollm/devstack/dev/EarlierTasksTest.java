package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks an earlier {@code make dev} left in the database: the stack says how many are unfinished
 * and that they run first, and {@code --fresh} starts from an empty database instead.
 */
class EarlierTasksTest {
  private static final ProcessorLauncher NEVER =
      (env, flags, output) -> {
        throw new AssertionError("the processor must not be started");
      };

  @TempDir Path dataDir;
  private Path database;

  @BeforeEach
  void anEarlierRunLeftThreeTasksPending() {
    database = dataDir.resolve("dev-manager.db");
    try (ManagerServer earlier =
        ManagerServer.start(ManagerOptions.builder().database(database).build())) {
      earlier.submitMany("left over", 3);
    }
  }

  @Test
  void theStackSaysHowManyTasksOfEarlierRunsArePendingAndThatTheyRunFirst() {
    StringWriter out = new StringWriter();
    try (DevStack stack =
        DevStack.start(settings(false), new Display(new PrintWriter(out), false))) {
      assertThat(stack.manager().count(TaskStatus.PENDING)).isEqualTo(3);
    }

    assertThat(out.toString())
        .contains(database + ", key dev-internal-key, 3 tasks from earlier runs)")
        .contains(
            "earlier runs left 3 task(s) pending, which run first (older tasks are claimed first);"
                + " start empty with: make dev FRESH=1 (bin/devstack dev --fresh)");
  }

  @Test
  void freshStartsWithAnEmptyDatabase() {
    StringWriter out = new StringWriter();
    try (DevStack stack =
        DevStack.start(settings(true), new Display(new PrintWriter(out), false))) {
      assertThat(stack.manager().countByStatus().values()).containsOnly(0L);
    }

    assertThat(out.toString())
        .contains(database + " emptied by --fresh, key dev-internal-key)")
        .doesNotContain("earlier runs");
  }

  @Test
  void finishedTasksOfEarlierRunsNeedNoWord() {
    assertThat(
            DevStack.unfinishedTasks(
                Map.of(TaskStatus.COMPLETED, 40L, TaskStatus.FAILED, 2L, TaskStatus.PENDING, 0L)))
        .isEmpty();
  }

  @Test
  void tasksLeftProcessingAreSaidToComeBackAfterFiveMinutes() {
    assertThat(
            DevStack.unfinishedTasks(Map.of(TaskStatus.PENDING, 284L, TaskStatus.PROCESSING, 3L)))
        .hasValue(
            "earlier runs left 284 task(s) pending, which run first (older tasks are claimed"
                + " first), and 3 processing under a stopped processor, pending again after 5"
                + " minutes; start empty with: make dev FRESH=1 (bin/devstack dev --fresh)");
  }

  private DevStack.Settings settings(boolean fresh) {
    return new DevStack.Settings(
        0,
        0,
        database,
        fresh,
        ManagerOptions.DEFAULT_API_KEY,
        true,
        AnswerLength.DEFAULT,
        150,
        1,
        false,
        NEVER,
        Map.of());
  }
}
