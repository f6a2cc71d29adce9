package dev.gollm.devstack.soak;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.manager.DurationConverter;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devstack soak}: many tasks through several processor JVMs while manager and Ollama faults
 * go on and off at random (seeded); then the invariant, recovery, each processor's heap and RSS
 * before and after, and a verdict (exit 0 pass, 1 fail).
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Runs --tasks tasks through --processors processor JVMs (from"
            + " processor/target/processor.jar) against an in-process manager and Ollama"
            + " simulator, switching faults on and off at random (seeded) for at most --duration;"
            + " then lifts the faults, lets the rest drain, checks that nothing was lost or"
            + " answered twice, that new tasks complete, and that no processor's heap grew. Exit"
            + " status 0 when all holds, 1 otherwise. See docs/reliability.md.")
public final class SoakCommand implements Callable<Integer> {
  private static final double MIB = 1024.0 * 1024.0;

  /** The processors' default MODEL_NAME, simulated with the soak's answer length and speed. */
  private static final String MODEL = "gemma2:1b";

  @Option(
      names = "--tasks",
      defaultValue = "10000",
      description = "Tasks to run. Default: ${DEFAULT-VALUE}.")
  int tasks;

  @Option(
      names = "--duration",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "Longest time with faults; the run ends sooner when all tasks are done.")
  Duration duration;

  @Option(
      names = "--processors",
      defaultValue = "4",
      description = "Processor JVMs. Default: ${DEFAULT-VALUE}.")
  int processors;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "WORKER_COUNT of each processor. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the fault schedule and fault rates. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--answer-tokens",
      defaultValue = "40",
      description = "Tokens in each simulated answer. Default: ${DEFAULT-VALUE}.")
  int answerTokens;

  @Option(
      names = "--tokens-per-second",
      defaultValue = "100",
      description = "Simulated generation speed per request. Default: ${DEFAULT-VALUE}.")
  int tokensPerSecond;

  @Option(
      names = "--drain",
      defaultValue = "3m",
      converter = DurationConverter.class,
      description = "Time for the last tasks once the faults are off. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(
      names = "--jar",
      description = "The processor jar. Default: processor/target/processor.jar of this checkout.")
  Path jar;

  @Option(
      names = "--dir",
      description = "Where the processors' logs and the report go. Default: a new temporary dir.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final ReentrantLock progressLock = new ReentrantLock();
  private final Condition progress = progressLock.newCondition();
  private PrintWriter out;
  private final List<String> timeline = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    QuietLogging.apply();
    if (tasks < 1 || processors < 1 || workers < 1 || answerTokens < 1 || tokensPerSecond < 1) {
      spec.commandLine()
          .getErr()
          .println(
              "error: --tasks, --processors, --workers, --answer-tokens and --tokens-per-second"
                  + " must be at least 1");
      return 2;
    }
    Path processorJar = jar != null ? jar : ProcessorProcess.defaultJar();
    if (!Files.isRegularFile(processorJar)) {
      spec.commandLine()
          .getErr()
          .println("error: " + processorJar + " is missing; run 'make build' first");
      return 1;
    }
    Path workDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("soak-");
    StringWriter report = new StringWriter();
    boolean passed;
    try (PrintWriter both = new PrintWriter(new Tee(out, report), true)) {
      out = both;
      passed = run(processorJar, workDir);
    }
    Path reportFile = workDir.resolve("soak-report.txt");
    Files.writeString(reportFile, report.toString(), StandardCharsets.UTF_8);
    spec.commandLine().getOut().println("report: " + reportFile);
    spec.commandLine().getOut().flush();
    return passed ? 0 : 1;
  }

  private boolean run(Path processorJar, Path workDir) throws Exception {
    ManagerOptions managerOptions =
        ManagerOptions.builder()
            .staleAfter(Duration.ofSeconds(20)) // orphaned claims come back within the run
            .hangLimit(Duration.ofSeconds(5))
            .faultSeed(seed)
            .build();
    say(
        "soak: %d tasks, %d processors x %d workers, answers of %d tokens at %d tokens/s,"
            + " seed %d, faults for at most %s, logs in %s",
        tasks, processors, workers, answerTokens, tokensPerSecond, seed, duration, workDir);
    try (ManagerServer manager = ManagerServer.start(managerOptions);
        OllamaSimulator ollama = startSimulator();
        HttpClient http = HttpClient.newHttpClient()) {
      manager.onComplete(call -> signalProgress());
      long started = System.nanoTime();
      try (ProcessorFleet fleet =
          ProcessorFleet.start(
              processors, processorJar, i -> processorEnvironment(manager, ollama, i), workDir)) {
        fleet.awaitStarted(Duration.ofMinutes(2));
        say("processors up: %s", fleet.members().stream().map(m -> m.name()).toList());

        Set<String> badInput = new HashSet<>();
        List<String> ids = submit(manager, badInput);
        say(
            "submitted %d tasks (%d with invalid parameters, which must fail)",
            ids.size(), badInput.size());

        // Warmed up (classes loaded, code compiled, pools grown) before the first reading.
        long warm = Math.min(1000, Math.max(1, tasks / 10));
        awaitUntil(() -> finished(manager) >= warm, Duration.ofMinutes(5));
        MemoryProbe probe = new MemoryProbe(http);
        Map<String, MemoryProbe.Reading> before = sample("before", probe, fleet);

        FaultSchedule schedule = underFaults(manager, ollama, probe, fleet, ids.size());
        awaitUntil(
            () -> finished(manager) >= ids.size(), drain, () -> say("  %s", status(manager)));
        double runSeconds = (System.nanoTime() - started) / 1e9;

        List<String> fresh = manager.submitMany("soak recovery", processors * 25);
        boolean recovered = awaitCompleted(manager, fresh, Duration.ofMinutes(2));

        Map<String, MemoryProbe.Reading> after = sample("after", probe, fleet);
        List<Integer> exits = fleet.terminate(Duration.ofSeconds(60));

        List<String> all = new ArrayList<>(ids);
        all.addAll(fresh);
        SoakInvariant.Report inv =
            SoakInvariant.check(
                manager, ollama, all, badInput, managerOptions.staleAfter().toMillis());
        return report(inv, recovered, fresh.size(), runSeconds, schedule, before, after, exits);
      }
    }
  }

  /** The simulator: one slot per worker, the soak's answer length and speed. */
  private OllamaSimulator startSimulator() {
    return new OllamaSimulator(
            OllamaSimulator.Options.builder()
                .slots(processors * workers)
                .model(
                    ModelProfile.fast(MODEL)
                        .withTokensPerSecond(tokensPerSecond)
                        .withAnswerLength(AnswerLength.fixed(answerTokens)))
                .build())
        .start();
  }

  /**
   * Switches faults on and off at random until {@code total} tasks are finished or the duration is
   * up, with a status line every 15 s and a memory sample every minute; the schedule, closed.
   */
  private FaultSchedule underFaults(
      ManagerServer manager,
      OllamaSimulator ollama,
      MemoryProbe probe,
      ProcessorFleet fleet,
      int total)
      throws InterruptedException {
    long faultStart = System.nanoTime();
    FaultSchedule schedule =
        new FaultSchedule(
            manager,
            ollama,
            seed,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofSeconds(6),
            line -> say("  %s", line));
    schedule.start();
    boolean doneUnderFaults;
    long[] nextSample = {System.nanoTime() + TimeUnit.SECONDS.toNanos(60)};
    Runnable everyQuarterMinute =
        () -> {
          say("  %s", status(manager));
          if (System.nanoTime() - nextSample[0] >= 0) {
            nextSample[0] += TimeUnit.SECONDS.toNanos(60);
            long s = (System.nanoTime() - faultStart) / 1_000_000_000L;
            sampleQuietly("t+" + s + "s", probe, fleet);
          }
        };
    try {
      doneUnderFaults = awaitUntil(() -> finished(manager) >= total, duration, everyQuarterMinute);
    } finally {
      schedule.close();
    }
    say(
        "faults off after %.0f s (%s); draining",
        (System.nanoTime() - faultStart) / 1e9,
        doneUnderFaults ? "all tasks were done" : "time was up");
    return schedule;
  }

  private boolean awaitCompleted(ManagerServer manager, List<String> ids, Duration limit)
      throws InterruptedException {
    return awaitUntil(
        () -> ids.stream().allMatch(id -> status(manager, id) == TaskStatus.COMPLETED), limit);
  }

  /** Every other processor streams its answers, so the faults meet both ways of reading them. */
  private Map<String, String> processorEnvironment(
      ManagerServer manager, OllamaSimulator ollama, int member) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WORKER_URL", manager.baseUrl());
    env.put("OLLAMA_URL", ollama.baseUrl());
    env.put("INTERNAL_API_KEY", manager.apiKey());
    env.put("HEALTH_ADDR", "127.0.0.1:0");
    env.put("WORKER_COUNT", Integer.toString(workers));
    env.put("POLL_INTERVAL", "1s");
    env.put("HEARTBEAT_INTERVAL", "2s");
    env.put("MAX_RETRIES", "5");
    env.put("REQUEST_TIMEOUT", "10s");
    env.put("LLM_STREAM", Boolean.toString(member % 2 == 0));
    env.put("STREAM_IDLE_TIMEOUT", "2s");
    env.put("MANAGER_TIMEOUT", "3s");
    env.put("CLEANUP_INTERVAL", "5s");
    env.put("WORK_STEALING_INTERVAL", "10s");
    env.put("SSE_ENABLED", "true");
    env.put("SSE_RECONNECT_INTERVAL", "500ms");
    env.put("SSE_HEARTBEAT_INTERVAL", "5s");
    env.put("SSE_HEARTBEAT_TIMEOUT", "15s");
    env.put("SHUTDOWN_GRACE", "10s");
    env.put("LOG_LEVEL", "info");
    return env;
  }

  /** The tasks: varied parameters and priorities; every 100th has invalid parameters. */
  private List<String> submit(ManagerServer manager, Set<String> badInput) {
    List<String> ids = new ArrayList<>(tasks);
    for (int start = 0; start < tasks; start += 500) {
      List<NewTask> chunk = new ArrayList<>();
      List<Boolean> bad = new ArrayList<>();
      for (int i = start; i < Math.min(tasks, start + 500); i++) {
        String text =
            "soak task " + i + ": mug w" + (i % 7) + " colour" + (i % 5) + " size" + (i % 9);
        boolean invalid = i % 100 == 99;
        NewTask task =
            invalid
                ? new NewTask(text, i % 3, "{\"temperature\":\"hot\"}", 3, null)
                : NewTask.of(text).withPriority(i % 3);
        String params =
            switch (i % 4) {
              case 1 -> "{\"temperature\":0.7,\"seed\":" + i + "}";
              case 2 -> "{\"max_tokens\":6}";
              case 3 -> "{\"top_k\":" + (i % 50 + 1) + ",\"stop\":[\"colour2\"]}";
              default -> null;
            };
        chunk.add(invalid || params == null ? task : task.withOllamaParams(params));
        bad.add(invalid);
      }
      List<String> created = manager.submit(chunk);
      for (int k = 0; k < created.size(); k++) {
        if (bad.get(k)) {
          badInput.add(created.get(k));
        }
      }
      ids.addAll(created);
    }
    return ids;
  }

  private static long finished(ManagerServer manager) {
    Map<TaskStatus, Long> c = manager.countByStatus();
    return c.get(TaskStatus.COMPLETED) + c.get(TaskStatus.FAILED);
  }

  private static TaskStatus status(ManagerServer manager, String id) {
    return manager.requireTask(id).status();
  }

  private static String status(ManagerServer manager) {
    return manager.countByStatus().toString();
  }

  private void signalProgress() {
    progressLock.lock();
    try {
      progress.signalAll();
    } finally {
      progressLock.unlock();
    }
  }

  private boolean awaitUntil(BooleanSupplier done, Duration limit) throws InterruptedException {
    return awaitUntil(done, limit, null);
  }

  /**
   * Waits until {@code done} holds, looking again after every complete call (at most once a second)
   * and running {@code tick} every 15 s; false when {@code limit} passed first.
   */
  private boolean awaitUntil(BooleanSupplier done, Duration limit, Runnable tick)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        return false;
      }
      if (tick != null && now - nextStatus >= 0) {
        tick.run();
        nextStatus = now + TimeUnit.SECONDS.toNanos(15);
      }
      progressLock.lock();
      try {
        progress.await(Math.min(1_000_000_000L, deadline - now), TimeUnit.NANOSECONDS);
      } finally {
        progressLock.unlock();
      }
    }
    return true;
  }

  /** Reads every processor's memory and adds a line to the timeline. */
  private Map<String, MemoryProbe.Reading> sample(
      String label, MemoryProbe probe, ProcessorFleet fleet) throws Exception {
    Map<String, MemoryProbe.Reading> readings = new LinkedHashMap<>();
    StringBuilder line = new StringBuilder(String.format("  %-8s", label));
    for (ProcessorFleet.Member m : fleet.members()) {
      MemoryProbe.Reading r = probe.read(m.port(), m.process().pid());
      readings.put(m.name(), r);
      line.append(String.format(" %6.1f / %6.1f", r.heapBytes() / MIB, r.rssBytes() / MIB));
    }
    timeline.add(line.toString());
    return readings;
  }

  private void sampleQuietly(String label, MemoryProbe probe, ProcessorFleet fleet) {
    try {
      sample(label, probe, fleet);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      say("  memory sample failed: %s", e);
    }
  }

  private boolean report(
      SoakInvariant.Report inv,
      boolean recovered,
      int freshCount,
      double runSeconds,
      FaultSchedule schedule,
      Map<String, MemoryProbe.Reading> before,
      Map<String, MemoryProbe.Reading> after,
      List<Integer> exits) {
    say("");
    say("== soak result ==");
    say(
        "tasks                 %d (%d before and during the faults, %d after)",
        inv.tasks(), tasks, freshCount);
    say("completed             %d", inv.completed());
    say("failed, bad input     %d (expected: invalid ollama_params)", inv.failedAsExpected());
    say("failed, other         %d %s", inv.failedOther(), inv.otherFailureReasons());
    say("pending / processing  %d / %d", inv.pending(), inv.processing());
    say(
        "duplicate completes   %d (tasks reported twice with the same outcome)",
        inv.duplicateCompletes());
    say(
        "invariant             %s",
        inv.holds() ? "holds" : inv.violationCount() + " violations: " + inv.violations());
    say(
        "recovery              %s",
        recovered ? "all " + freshCount + " new tasks completed" : "NOT all new tasks completed");
    say("throughput            %.1f tasks/s over %.0f s", tasks / runSeconds, runSeconds);
    say(
        "faults switched on    %d times: %s",
        schedule.events().stream().filter(e -> !e.endsWith(" off")).count(),
        schedule.activations());
    reportMemory(before, after);
    say("exit statuses (SIGTERM) %s", exits);
    SoakVerdict verdict =
        new SoakVerdict(
            inv.holds(),
            inv.pending() + inv.processing(),
            recovered,
            SoakVerdict.heapHeld(before, after),
            exits.stream().allMatch(s -> s == 0));
    say("verdict               %s", verdict.describe());
    say("fault schedule:");
    schedule.events().forEach(e -> say("  %s", e));
    return verdict.pass();
  }

  /** Each processor's heap and RSS before and after, then the samples taken in between. */
  private void reportMemory(
      Map<String, MemoryProbe.Reading> before, Map<String, MemoryProbe.Reading> after) {
    say("memory (heap after a full GC; RSS of the process)");
    say("  %-8s %12s %12s %12s %12s", "", "heap before", "heap after", "RSS before", "RSS after");
    for (String name : before.keySet()) {
      MemoryProbe.Reading b = before.get(name);
      MemoryProbe.Reading a = after.get(name);
      say(
          "  %-8s %9.1f MiB %9.1f MiB %9.1f MiB %9.1f MiB%s",
          name,
          b.heapBytes() / MIB,
          a.heapBytes() / MIB,
          b.rssBytes() / MIB,
          a.rssBytes() / MIB,
          a.afterGc() && b.afterGc() ? "" : " (no full GC: jcmd unavailable)");
    }
    say("memory over the run (heap after a full GC / RSS, MiB; one column per processor)");
    timeline.forEach(this::say);
  }

  private void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }

  /** Writes to two writers at once: the console and the report kept for the file. */
  private static final class Tee extends java.io.Writer {
    private final java.io.Writer a;
    private final java.io.Writer b;

    Tee(java.io.Writer a, java.io.Writer b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
