package dev.gollm.devstack.bench;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devstack aot-train}: writes the processor's AOT cache ({@code processor.aot} beside the
 * jar) from a training run on this Java (25 or newer): the processor runs with {@code
 * -XX:AOTCacheOutput} against devstack's manager and simulator, takes tasks through SSE, one at a
 * time and in a batch, answers its health endpoints, idles a second (its periodic calls come every
 * few hundred ms here), then takes tasks by polling after the manager stops its task stream, and is
 * stopped with SIGTERM; on exit the JVM writes the cache of the classes it loaded and linked
 * (without the method profiles and compilations a cache may also record). {@code make build} runs
 * it.
 */
@Command(
    name = "aot-train",
    mixinStandardHelpOptions = true,
    description =
        "Write the processor's AOT cache (processor.aot beside the jar; Java 25 or newer) from a"
            + " training run against devstack: tasks through SSE and polling, then SIGTERM.")
public final class AotTrainingCommand implements Callable<Integer> {
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(120);

  /** Time for the JVM to stop and write the cache (it starts a second JVM to assemble it). */
  private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(5);

  private static final int SSE_ONE_BY_ONE = 30;
  private static final int SSE_BATCH = 20;
  private static final int POLLED = 20;

  /**
   * Four workers as in production; a short poll and one failed reconnect before polling, so the
   * polling phase starts soon after the stream is refused. The periodic calls (task and processor
   * heartbeats, the stream's heartbeat, work stealing, the safety poll) come every few hundred ms,
   * so that their code, which a deployed processor runs every 15 to 120 s, is in the cache too.
   * Logging at info in JSON, as deployed.
   */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "WORKER_COUNT", "4",
          "POLL_INTERVAL", "200ms",
          "SSE_RECONNECT_INTERVAL", "100ms",
          "SSE_MAX_RECONNECT_ATTEMPTS", "1",
          "HEARTBEAT_INTERVAL", "100ms",
          "SSE_HEARTBEAT_INTERVAL", "200ms",
          "WORK_STEALING_INTERVAL", "300ms",
          "SAFETY_POLL_INTERVAL", "300ms",
          "LOG_LEVEL", "info");

  /** Long enough for every periodic call above to come a few times while nothing else runs. */
  private static final Duration IDLE = Duration.ofSeconds(1);

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description = "The processor jar. Default: processor/target/processor.jar in the project.")
  Path jar;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    QuietLogging.apply();
    BenchCommand.noDelayHttpServers();
    Path processorJar = jar != null ? jar.toAbsolutePath() : ProcessorProcess.defaultJar();
    int feature = Runtime.version().feature();
    if (feature < AotCache.FIRST_JAVA) {
      err.println(
          "error: an AOT cache needs Java "
              + AotCache.FIRST_JAVA
              + " or newer; this is Java "
              + feature);
      return 1;
    }
    if (!Files.isRegularFile(processorJar)) {
      err.println("error: processor jar " + processorJar + " is missing; run 'make build' first");
      return 1;
    }
    Path cache = AotCache.beside(processorJar);
    Files.deleteIfExists(cache);
    Files.deleteIfExists(processorJar.resolveSibling(AotCache.STAMP));
    Path logFile = Files.createTempFile("processor-aot-training", ".log");
    long t0 = System.nanoTime();
    try (ProcessorLog log = new ProcessorLog(logFile)) {
      train(processorJar, cache, log);
    } catch (BenchException e) {
      err.println(
          "error: AOT training failed: " + e.getMessage() + " (processor log: " + logFile + ")");
      return 1;
    }
    if (!Files.isRegularFile(cache)) {
      err.println(
          "error: the training JVM wrote no " + cache + " (processor log: " + logFile + ")");
      return 1;
    }
    AotCache.stamp(processorJar, Path.of(System.getProperty("java.home")));
    Files.delete(logFile);
    out.printf(
        Locale.ROOT,
        "AOT cache: %s (%d MiB, Java %s), trained in %.0f s%n",
        cache,
        Files.size(cache) >> 20,
        Runtime.version(),
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  private static void train(Path jar, Path cache, ProcessorLog log) throws InterruptedException {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("aot-ready-probe").daemon().factory());
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        BenchStack stack =
            BenchStack.start(
                jar,
                // Classes only, no training data: replaying it at start compiled what the
                // training ran, most of which a new processor never needs (docs/benchmarks.md).
                List.of(
                    "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:-AOTRecordTraining",
                    "-XX:AOTCacheOutput=" + cache),
                log,
                new ReadyProbe(http, timer),
                4,
                Workload.TASK_20MS,
                ManagerOptions.builder()
                    .recordCompleteCalls(false)
                    .relaxSseClamps(true) // stream heartbeats below the manager's 5 s floor
                    .build())) {
      RunningProcessor p = stack.startProcessors(List.of("aot-training"), SETTINGS).getFirst();
      for (int i = 0; i < SSE_ONE_BY_ONE; i++) {
        await(stack, List.of(stack.manager().submit(Workload.text("aot-sse", i))));
      }
      await(stack, stack.submit(Workload.texts("aot-batch", SSE_BATCH)));
      scrape(http, p.healthPort());
      Thread.sleep(IDLE); // a pause, not a poll: the idle processor's own calls run meanwhile
      stack.manager().faults().refuseSse(true);
      stack.manager().dropSseConnections();
      List<String> polled =
          Workload.submitAtPace(
              stack,
              Workload.texts("aot-poll", POLLED),
              Duration.ofMillis(250),
              new Instant[POLLED]);
      await(stack, polled);
      int status = p.process().terminate(EXIT_TIMEOUT);
      if (status != 0) {
        throw new BenchException(
            status < 0
                ? "the processor did not exit within " + EXIT_TIMEOUT + " of SIGTERM"
                : "the processor exited with status " + status);
      }
    } finally {
      timer.shutdownNow();
    }
  }

  private static void await(BenchStack stack, List<String> ids) throws InterruptedException {
    if (!stack.completions().awaitAll(ids, PHASE_TIMEOUT)) {
      throw new BenchException(
          stack.completions().missing(ids)
              + " of "
              + ids.size()
              + " training tasks did not complete");
    }
  }

  /** Asks each endpoint of the health server once, so their code is in the cache too. */
  private static void scrape(HttpClient http, int port) throws InterruptedException {
    for (String path : List.of("/health", "/ready", "/metrics", "/metrics/prometheus")) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10))
              .GET()
              .build();
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        throw new BenchException("the processor's " + path + " did not answer: " + e);
      }
    }
  }
}
