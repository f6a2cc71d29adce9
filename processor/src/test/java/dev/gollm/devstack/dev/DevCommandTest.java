package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.SubmitCommand;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code devstack dev} end to end: devstack's manager and Ollama simulator in this JVM, the
 * processor as its own JVM (started from this module's class path, since the jar is packaged after
 * the tests), ports from the OS and the database in a temporary directory.
 *
 * <p>It lives in the processor module because only here are both the processor and devstack on the
 * class path.
 */
class DevCommandTest {
  private static final Pattern MANAGER_URL =
      Pattern.compile(
          "submit more with: bin/devstack submit --manager (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dataDir;

  /** Starts the processor's JVM from the test class path, as the jar would. */
  private static final ProcessorLauncher FROM_CLASS_PATH =
      (env, flags, output) ->
          ProcessorProcess.startFromClassPath(
              "processor",
              System.getProperty("java.class.path"),
              Main.class.getName(),
              // The build copies it here before the tests run (process-resources).
              Path.of("target", ProcessorProcess.JVM_OPTIONS_FILE),
              env,
              flags,
              output);

  private record Run(CommandLine command, StringWriter out, StringWriter err) {
    String output() {
      return out.toString();
    }
  }

  private Run dev(CompletableFuture<Void> stop) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new DevCommand(Map.of(), stop, FROM_CLASS_PATH));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return new Run(command, out, err);
  }

  private List<String> args(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--manager-port",
                "0",
                "--health-port",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--simulator",
                "--sim-tokens",
                "4-8",
                "--sim-tps",
                "400"));
    args.addAll(List.of(more));
    return args;
  }

  /** The tasks the database holds after the run, read by a manager started on the same file. */
  private List<TaskRecord> storedTasks() {
    try (ManagerServer reopened =
        ManagerServer.start(
            ManagerOptions.builder().database(dataDir.resolve("dev-manager.db")).build())) {
      return reopened.allTasks();
    }
  }

  @Test
  void syntheticRunEndsWithASummaryAndLeavesNothingProcessing() {
    Run run = dev(null);

    int status = run.command().execute(args("--tasks", "20").toArray(String[]::new));

    assertThat(status).as(run.output() + run.err()).isZero();
    assertThat(run.output())
        .contains("SIMULATED", "submitting 20 synthetic tasks", "summary of 20 synthetic tasks")
        .containsPattern("│ tasks +│ 20 ")
        .containsPattern("│ completed +│ 20 ")
        .containsPattern("│ failed +│ 0 ")
        .containsPattern("│ throughput +│ [0-9.]+ tasks/s")
        .containsPattern("│ task time p95 +│ [0-9.]+ (ms|s)")
        .contains("20 completed, 0 failed, 0 pending, 0 processing");
    assertThat(storedTasks())
        .hasSize(20)
        .allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED));
  }

  @Test
  void samplesThenSubmittedTasksAreProcessedAndAStopHandsEverythingBack() throws Exception {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    Run run = dev(stop);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> status =
          runner.submit(() -> run.command().execute(args().toArray(String[]::new)));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> run.output().contains("all 12 sample tasks completed") || status.isDone());
      Matcher url = MANAGER_URL.matcher(run.output());
      assertThat(url.find()).as(run.output() + run.err()).isTrue();
      assertThat(run.output())
          .contains("[12/12] ✓")
          .contains("Handmade ceramic mug")
          .contains("Керамическая кружка ручной работы");

      StringWriter submitted = new StringWriter();
      CommandLine submit = new CommandLine(new SubmitCommand());
      submit.setOut(new PrintWriter(submitted, true));
      assertThat(submit.execute("--manager", url.group(1), "Oak cutting board, 40 cm")).isZero();
      String id = submitted.toString().strip();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> run.output().contains("[task " + id.substring(0, 8) + "] ✓"));

      stop.complete(null);
      assertThat(status.get(90, TimeUnit.SECONDS)).as(run.output() + run.err()).isZero();
    } finally {
      stop.complete(null);
      runner.shutdownNow();
    }
    assertThat(run.output()).contains("13 completed, 0 failed, 0 pending, 0 processing");
    assertThat(storedTasks())
        .hasSize(13)
        .allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED));
  }
}
