package dev.gollm.devstack.bench;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code devstack bench}: runs the benchmark scenarios against devstack (manager and simulator in
 * this JVM) with each processor as its own JVM, and writes {@code <timestamp>.json}, {@code .md}
 * and {@code .svg} under the output directory. See docs/benchmarks.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure the processor against the ideal: dispatch latency (SSE and polling), the gap"
            + " between tasks, throughput, a fleet of 8, cost, scaling, a mixed fleet beside a"
            + " stranding processor and a cold start. Writes"
            + " <timestamp>.json, .md and .svg and prints the table. See docs/benchmarks.md.")
public final class BenchCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(names = "--quick", description = "The short run (under 3 minutes), every figure kept.")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the results go. Default: bench/results in the project.")
  Path out;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description = "The processor jar. Default: processor/target/processor.jar in the project.")
  Path jar;

  @Option(
      names = "--processor-java-opts",
      paramLabel = "FLAGS",
      description =
          "Extra JVM flags for every processor, after those of bin/processor"
              + " (e.g. \"-XX:TieredStopAtLevel=1\"), to try a change.")
  String processorJavaOpts = "";

  @Option(
      names = "--only",
      paramLabel = "N",
      split = ",",
      description =
          "Run only these scenarios (numbers, e.g. 8 for the cold starts, 9,10), with the stages"
              + " they share; scenario 4 runs as part of 6, and 5 (cost) only in a whole run.")
  Set<Integer> only = Set.of();

  @Option(
      names = "--no-aot-cache",
      description =
          "Start the processors without the AOT cache (processor.aot beside the jar) even where"
              + " bin/processor would use it, to measure what it saves.")
  boolean noAotCache;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    QuietLogging.apply();
    noDelayHttpServers();
    Path processorJar = jar != null ? jar.toAbsolutePath() : ProcessorProcess.defaultJar();
    if (!Files.isRegularFile(processorJar)) {
      err.println("error: processor jar " + processorJar + " is missing; run 'make build' first");
      return 1;
    }
    Path dir =
        out != null ? out.toAbsolutePath() : projectRoot(processorJar).resolve("bench/results");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("error: cannot create the results directory " + dir + ": " + e);
      return 1;
    }
    BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
    String stamp = STAMP.format(Instant.now());
    MachineInfo machine = MachineInfo.collect();
    stdout.println(
        "devstack bench ("
            + plan.mode()
            + "): "
            + machine.describe()
            + "; load average "
            + machine.loadAverage());
    stdout.println("processor jar " + processorJar + "; results in " + dir);

    long t0 = System.nanoTime();
    Optional<Path> aotCache =
        noAotCache
            ? Optional.empty()
            : AotCache.usable(
                processorJar,
                Path.of(System.getProperty("java.home")),
                Runtime.version().feature());
    stdout.println(
        "AOT cache: "
            + aotCache
                .map(Path::toString)
                .orElse(noAotCache ? "not used (--no-aot-cache)" : "none usable on this Java"));
    List<String> extraFlags = new ArrayList<>();
    aotCache.ifPresent(cache -> extraFlags.add("-XX:AOTCache=" + cache));
    if (!processorJavaOpts.isBlank()) {
      extraFlags.addAll(List.of(processorJavaOpts.trim().split("\\s+")));
    }
    Path logFile = dir.resolve(stamp + "-processors.log");
    try (ProcessorLog log = new ProcessorLog(logFile)) {
      Results results;
      try {
        results = run(plan, processorJar, extraFlags, log, stdout, only);
      } catch (BenchException e) {
        stdout.println();
        err.println("error: " + e.getMessage() + " (processor output: " + logFile + ")");
        return 1;
      }
      BenchReport report =
          new BenchReport(
              stamp,
              plan.mode(),
              (System.nanoTime() - t0) / 1e9,
              machine,
              MachineInfo.currentLoadAverage(),
              results.figures(),
              setup(plan, processorJar, extraFlags, log),
              results.scenarios(),
              new Chart(
                  "go-llm processor benchmark " + stamp + " (" + plan.mode() + ")",
                  results.panels()));
      List<Path> files = write(report, dir);
      printSummary(stdout, report, log);
      stdout.println(
          "wrote "
              + files.getFirst()
              + ", "
              + files.get(1).getFileName()
              + ", "
              + files.get(2).getFileName());
    }
    return 0;
  }

  /** Runs the scenarios, killing the processors if the JVM is stopped meanwhile. */
  private static Results run(
      BenchPlan plan,
      Path processorJar,
      List<String> extraFlags,
      ProcessorLog log,
      PrintStream stdout,
      Set<Integer> only)
      throws InterruptedException {
    ScheduledExecutorService timer =
        Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().name("bench-ready-probe").daemon().factory());
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      BenchRun run =
          new BenchRun(
              plan, processorJar, extraFlags, log, new ReadyProbe(http, timer), stdout, only);
      Thread hook = Thread.ofPlatform().name("bench-abort").unstarted(run::abort);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return run.execute();
      } finally {
        removeHook(hook);
      }
    } finally {
      timer.shutdownNow();
    }
  }

  /**
   * Writes {@code <timestamp>.json}, {@code .md} and {@code .svg} into {@code dir}; their paths.
   */
  private static List<Path> write(BenchReport report, Path dir) throws IOException {
    Path json = dir.resolve(report.timestamp() + ".json");
    Path md = dir.resolve(report.timestamp() + ".md");
    Path svg = dir.resolve(report.timestamp() + ".svg");
    Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
    Files.writeString(
        md,
        report.toMarkdown(json.getFileName().toString(), svg.getFileName().toString()),
        StandardCharsets.UTF_8);
    Files.writeString(svg, SvgChart.render(report.chart()), StandardCharsets.UTF_8);
    return List.of(json, md, svg);
  }

  /** The table, how many targets were met, and what the processors logged. */
  private static void printSummary(PrintStream stdout, BenchReport report, ProcessorLog log) {
    stdout.println();
    stdout.print(BenchReport.table(report.figures()));
    stdout.println();
    long missed = report.figures().stream().filter(f -> f.verdict() == Figure.Verdict.MISS).count();
    long targets = report.figures().stream().filter(f -> f.target() != null).count();
    stdout.printf(
        Locale.ROOT,
        "%d of %d targets met in %.0f s; load average now %s (others share this machine).%n",
        targets - missed,
        targets,
        report.elapsedSeconds(),
        report.loadAverageAtEnd());
    stdout.printf(Locale.ROOT, "processor log: %s in %s%n", log.describe(), log.file());
  }

  private static ObjectNode setup(
      BenchPlan plan, Path processorJar, List<String> extraFlags, ProcessorLog log) {
    ObjectNode setup = JsonNodeFactory.instance.objectNode();
    ObjectNode p = setup.putObject("plan");
    p.put("baseline_requests", plan.baselineRequests());
    p.put("warmup_tasks", plan.warmupTasks());
    p.put("polling_warmup_tasks", plan.pollingWarmupTasks());
    p.put("scale_warmup_tasks_per_processor", plan.scaleWarmupTasks());
    p.put("dispatch_tasks", plan.dispatchTasks());
    p.put("idle_between_tasks_ms", plan.idleBetweenTasks().toMillis());
    p.put("polling_tasks", plan.pollingTasks());
    p.put("polling_spacing_ms", plan.pollingSpacing().toMillis());
    p.put("backlog_tasks", plan.backlogTasks());
    p.put("throughput_tasks", plan.throughputTasks());
    ArrayNode steps = p.putArray("scale_steps");
    plan.scaleSteps().forEach(steps::add);
    p.put("tasks_per_worker", plan.tasksPerWorker());
    p.put("fleet_tasks", plan.fleetTasks());
    p.put("cold_start_tasks", plan.coldStartTasks());
    p.put("cold_start_spacing_ms", plan.coldStartSpacing().toMillis());
    p.put("cold_start_idle_s", plan.coldStartIdle().toSeconds());
    setup.put("processor_jar", processorJar.toString());
    ArrayNode flags = setup.putArray("processor_jvm_flags");
    ProcessorProcess.jvmFlags(ProcessorProcess.jvmOptions(processorJar)).forEach(flags::add);
    extraFlags.forEach(flags::add);
    setup.put("http_servers_tcp_nodelay", true);
    ObjectNode l = setup.putObject("processor_log");
    l.put("file", log.file().getFileName().toString());
    l.put("debug_lines", log.debugLines());
    l.put("info_lines", log.infoLines());
    l.put("warnings", log.warnings());
    l.put("errors", log.errors());
    l.put("other_lines", log.otherLines());
    return setup;
  }

  /**
   * Makes the JDK HTTP servers of the manager and the simulator send small writes at once
   * (TCP_NODELAY), as the Go servers they stand in for do. Without it, Nagle's algorithm meeting
   * the client's delayed ACK holds a response body or an SSE event back by up to 40 ms, which would
   * be charged to the processor. The JDK reads the property once, when the first server starts, so
   * it is set before any.
   */
  public static void noDelayHttpServers() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** The checkout the jar belongs to: .../processor/target/processor.jar → ... */
  private static Path projectRoot(Path processorJar) {
    Path root = processorJar.getParent() == null ? null : processorJar.getParent().getParent();
    root = root == null ? null : root.getParent();
    return root == null ? Path.of("").toAbsolutePath() : root;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook runs
    }
  }
}
