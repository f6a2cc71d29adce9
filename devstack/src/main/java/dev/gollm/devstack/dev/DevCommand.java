package dev.gollm.devstack.dev;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devstack dev} ({@code make dev}): the whole pipeline on this machine in one terminal —
 * devstack's manager, an Ollama (real or simulated) and the processor as its own JVM. Submits the
 * bundled samples and stays up until Ctrl-C, or runs {@code --tasks N} synthetic tasks and ends
 * with a summary.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline on this machine: devstack's manager (SQLite file",
      "under --data-dir), an Ollama (a real one when one answers at $OLLAMA_URL",
      "or http://localhost:11434 within 1 s, else devstack's simulator) and the",
      "processor as its own JVM, connected over HTTP as in production.",
      "Submits the bundled sample tasks, prints each result and stays up until",
      "Ctrl-C; tasks sent with 'devstack submit' are processed and printed too.",
      "With --tasks N it runs N synthetic tasks, prints a summary and exits.",
      "The environment is passed on to the processor (WORKER_COUNT, MODEL_NAME,",
      "LOG_LEVEL, ...) under the connection variables the stack sets.",
    })
public final class DevCommand implements Callable<Integer> {
  /** Bounds a signalled stop: the processor's stop limit plus time for the servers. */
  private static final Duration STOP_LIMIT = DevStack.PROCESSOR_STOP_LIMIT.plusSeconds(20);

  @Option(
      names = "--tasks",
      paramLabel = "N",
      description = "Run N synthetic tasks instead of the samples, print a summary and exit.")
  Integer tasks;

  @Option(
      names = "--manager-port",
      paramLabel = "PORT",
      defaultValue = "${env:MANAGER_PORT:-8080}",
      description = "The manager's port on 127.0.0.1 (0: any free one). Default: ${DEFAULT-VALUE}.")
  int managerPort;

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      defaultValue = "${env:HEALTH_PORT:-8081}",
      description = "The processor's health port (0: any free one). Default: ${DEFAULT-VALUE}.")
  int healthPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "Directory of the manager's database (dev-manager.db), created if missing; tasks stay"
              + " there between runs. Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(
      names = "--fresh",
      description =
          "Delete the manager's database first: no task of an earlier run is left to run before"
              + " the new ones.")
  boolean fresh;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:INTERNAL_API_KEY:-" + ManagerOptions.DEFAULT_API_KEY + "}",
      description =
          "INTERNAL_API_KEY of manager and processor. Default: $INTERNAL_API_KEY or "
              + ManagerOptions.DEFAULT_API_KEY
              + ".")
  String apiKey;

  @Option(
      names = "--simulator",
      description = "Use devstack's Ollama simulator even when a real Ollama answers.")
  boolean forceSimulator;

  @Option(
      names = "--sim-tokens",
      paramLabel = "N|MIN-MAX",
      defaultValue = "20-60",
      description = "Tokens per simulated answer. Default: ${DEFAULT-VALUE}.")
  String simTokens;

  @Option(
      names = "--sim-tps",
      paramLabel = "RATE",
      defaultValue = "150",
      description = "Simulated tokens per second in each slot. Default: ${DEFAULT-VALUE}.")
  double simTokensPerSecond;

  @Option(
      names = "--backends",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Simulated LLM backends, backend i at 1/i of --sim-tps, sharing WORKER_COUNT as their"
              + " slots; the processor gets them as LLM_ENDPOINTS. Default: ${DEFAULT-VALUE}.")
  int backends;

  @Option(
      names = "--api",
      paramLabel = "ollama|openai",
      defaultValue = "ollama",
      description =
          "The API the simulated backends speak and the processor uses (LLM_API); openai"
              + " simulates vLLM-like servers with nothing under /api. Default: ${DEFAULT-VALUE}.")
  String api;

  @Option(
      names = "--processor-jar",
      paramLabel = "JAR",
      description =
          "The processor's jar. Default: processor/target/processor.jar of this checkout.")
  Path processorJar;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;
  private final CompletableFuture<Void> externalStop;
  private final ProcessorLauncher launcher;
  private final boolean ownsLogging;

  /**
   * The command as {@code devstack dev} runs it: the process environment, the processor's jar,
   * stopped by signals, devstack's own logging held at WARN.
   */
  public DevCommand() {
    this.env = Map.copyOf(System.getenv());
    this.externalStop = null;
    this.launcher = null;
    this.ownsLogging = true;
  }

  /**
   * A command for tests: an explicit environment, a stop request instead of signals, and its own
   * way of starting the processor; logging is left alone.
   *
   * @param env the environment the processor gets (plus the stack's connection variables) and that
   *     OLLAMA_URL, MODEL_NAME, WORKER_COUNT and LOG_LEVEL are read from
   * @param stop completing it stops the stack as SIGINT would; null to install the signal hook
   * @param launcher starts the processor; null for the jar (--processor-jar or this checkout's)
   */
  DevCommand(Map<String, String> env, CompletableFuture<Void> stop, ProcessorLauncher launcher) {
    this.env = Map.copyOf(env);
    this.externalStop = stop;
    this.launcher = launcher;
    this.ownsLogging = false;
  }

  @Override
  public Integer call() throws InterruptedException {
    DevStack.Settings settings;
    try {
      settings = settings();
    } catch (DevStackException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    if (ownsLogging) {
      QuietLogging.apply();
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Display display = new Display(out, System.console() != null)) {
      StopSignal signal = externalStop == null ? StopSignal.install(STOP_LIMIT) : null;
      CompletableFuture<Void> stop = signal == null ? externalStop : signal.requested();
      int status = 1;
      try {
        status = run(settings, display, stop);
      } finally {
        if (signal != null) {
          signal.finish(status);
          signal.close();
        }
      }
      return status;
    }
  }

  private DevStack.Settings settings() {
    CommandLine cli = spec.commandLine();
    if (tasks != null && tasks < 1) {
      throw new CommandLine.ParameterException(
          cli, "--tasks: " + tasks + " is invalid; expected a whole number of at least 1");
    }
    requirePort(managerPort, "--manager-port");
    requirePort(healthPort, "--health-port");
    if (managerPort != 0 && managerPort == healthPort) {
      throw new CommandLine.ParameterException(
          cli, "--manager-port and --health-port are both " + managerPort + "; give two ports");
    }
    AnswerLength length;
    try {
      length = AnswerLength.parse(simTokens);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, "--sim-tokens: " + e.getMessage());
    }
    if (!(simTokensPerSecond > 0) || Double.isInfinite(simTokensPerSecond)) {
      throw new CommandLine.ParameterException(
          cli, "--sim-tps: " + simTokensPerSecond + " is invalid; expected a positive number");
    }
    if (backends < 1 || backends > 16) {
      throw new CommandLine.ParameterException(
          cli, "--backends: " + backends + " is invalid; expected 1 to 16");
    }
    if (!api.equals("ollama") && !api.equals("openai")) {
      throw new CommandLine.ParameterException(
          cli, "--api: " + api + " is invalid; expected ollama or openai");
    }
    return new DevStack.Settings(
        managerPort,
        healthPort,
        dataDir.resolve("dev-manager.db"),
        fresh,
        apiKey,
        forceSimulator,
        length,
        simTokensPerSecond,
        backends,
        api.equals("openai"),
        launcher != null
            ? launcher
            : ProcessorLauncher.jar(
                processorJar == null ? ProcessorProcess.defaultJar() : processorJar),
        env);
  }

  private void requirePort(int port, String option) {
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + ": " + port + " is invalid; expected a port 0..65535");
    }
  }

  private int run(DevStack.Settings settings, Display display, CompletableFuture<Void> stop)
      throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    display.line(
        "devstack dev: the processor with a manager and an Ollama on this machine (Ctrl-C stops)");
    DevStack stack;
    try {
      stack = DevStack.start(settings, display);
    } catch (DevStackException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    try (stack) {
      ResultFeed feed = new ResultFeed(stack.manager(), display);
      try {
        stack.startProcessor();
      } catch (DevStackException e) {
        feed.close();
        err.println("error: " + e.getMessage());
        err.flush();
        return 1;
      }
      Outcome outcome = process(stack, feed, display, stop);
      if (outcome == Outcome.PROCESSOR_FAILED) {
        // On stdout with the other status lines, so that a progress bar stays intact.
        display.line("error: the processor stopped unexpectedly; see its output above");
      } else {
        display.line(
            "stopping: the processor hands back what it holds, then Ollama and the manager stop");
      }
      int processorStatus = stack.stopProcessor();
      feed.close();
      Map<TaskStatus, Long> counts = stack.stopServers();
      display.line(finalLine(settings, counts, processorStatus));
      boolean clean = processorStatus == 0 && counts.get(TaskStatus.PROCESSING) == 0;
      return outcome == Outcome.PROCESSOR_FAILED || !clean ? 1 : 0;
    }
  }

  /** How the active part of a run ended. */
  private enum Outcome {
    DONE,
    STOP_REQUESTED,
    /** The processor exited 0 on its own: a signal reached it (Ctrl-C reaches both). */
    PROCESSOR_STOPPED,
    PROCESSOR_FAILED
  }

  /** Submits the batch and follows it; for the samples, then serves until a stop. */
  private Outcome process(
      DevStack stack, ResultFeed feed, Display display, CompletableFuture<Void> stop)
      throws InterruptedException {
    boolean synthetic = tasks != null;
    List<NewTask> batchTasks = synthetic ? DevTasks.synthetic(tasks) : DevTasks.samples();
    display.line(
        synthetic
            ? "submitting " + tasks + " synthetic tasks"
            : "submitting the "
                + batchTasks.size()
                + " bundled sample tasks (product descriptions in English and Russian)");
    Batch batch = feed.submit(batchTasks, !synthetic);
    stack.simulators().reportEvery(5, display);
    CompletableFuture<BatchProgress> shown = feed.batchShown();
    Outcome first = await(shown, stop, stack);
    if (first != Outcome.DONE) {
      BatchProgress progress = batch.progress(System.nanoTime());
      display.endProgress();
      display.line(
          "interrupted after "
              + progress.done()
              + " of "
              + progress.total()
              + " tasks finished"
              + (first == Outcome.PROCESSOR_STOPPED
                  ? " (the processor was stopped by a signal)"
                  : ""));
      return first;
    }
    BatchProgress progress = shown.join();
    if (stack.simulators().all().size() > 1) {
      display.line("  " + stack.simulators().progress());
    }
    if (synthetic) {
      display.line("summary of " + tasks + " synthetic tasks:");
      RunSummary.of(progress, batch.taskTimes()).table().forEach(display::line);
      return Outcome.DONE;
    }
    display.line(
        "all "
            + progress.total()
            + " sample tasks "
            + (progress.failed() == 0
                ? "completed"
                : "finished ("
                    + progress.completed()
                    + " completed, "
                    + progress.failed()
                    + " failed)")
            + " in "
            + Text.seconds(progress.elapsed())
            + "; the stack stays up — submit more with: bin/devstack submit --manager "
            + stack.manager().baseUrl()
            + (apiKey.equals(ManagerOptions.DEFAULT_API_KEY) ? "" : " --api-key KEY")
            + " \"text\"  (Ctrl-C to stop)");
    return await(new CompletableFuture<>(), stop, stack);
  }

  /**
   * Waits for {@code done}, a stop request, or the processor's exit, whichever comes first. The
   * processor exiting with status 0 counts as a stop: it got the terminal's Ctrl-C too.
   */
  private static Outcome await(
      CompletableFuture<?> done, CompletableFuture<Void> stop, DevStack stack)
      throws InterruptedException {
    CompletableFuture<ProcessHandle> exit = stack.processorExit();
    try {
      CompletableFuture.anyOf(done, stop, exit).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the run failed", e.getCause());
    }
    if (done.isDone()) {
      return Outcome.DONE;
    }
    if (stop.isDone()) {
      return Outcome.STOP_REQUESTED;
    }
    return stack.processorExitStatus() == 0 ? Outcome.PROCESSOR_STOPPED : Outcome.PROCESSOR_FAILED;
  }

  private static String finalLine(
      DevStack.Settings settings, Map<TaskStatus, Long> counts, int processorStatus) {
    StringBuilder line =
        new StringBuilder("stopped. tasks in ")
            .append(settings.database())
            .append(": ")
            .append(counts.get(TaskStatus.COMPLETED))
            .append(" completed, ")
            .append(counts.get(TaskStatus.FAILED))
            .append(" failed, ")
            .append(counts.get(TaskStatus.PENDING))
            .append(" pending, ")
            .append(counts.get(TaskStatus.PROCESSING))
            .append(" processing");
    if (processorStatus != 0) {
      line.append(" (the processor exited with status ").append(processorStatus).append(')');
    }
    return line.toString();
  }
}
