package dev.gollm.devstack.httpbench;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.bench.BenchCommand;
import dev.gollm.devstack.bench.MachineInfo;
import dev.gollm.devstack.manager.DurationConverter;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code devstack http-clients}: measures the HTTP clients the processor could use (the JDK's
 * HttpClient, Apache HttpClient 5 classic, Helidon WebClient 4) on the processor's two kinds of
 * call, a claim to the manager and a streamed chat from Ollama, each client in its own JVM with the
 * processor's JVM flags, against devstack's manager and a near-instant simulated model in this JVM.
 * Writes {@code <timestamp>-http-clients.json} and {@code .md} and prints the table. See
 * docs/benchmarks.md, "HTTP clients compared".
 */
@Command(
    name = "http-clients",
    mixinStandardHelpOptions = true,
    description =
        "Compare HTTP clients (JDK HttpClient, Apache HttpClient 5 classic, Helidon WebClient 4)"
            + " on the processor's calls: claims to the manager and streamed chats from Ollama,"
            + " cold and warm, sequential and concurrent, CPU per request, idle cost, RSS and"
            + " classes; each client in a child JVM with the processor's flags. Writes"
            + " <timestamp>-http-clients.json and .md and prints the table.")
public final class HttpClientsCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The model the chats ask for: loaded at once, first token at once, 10 tokens a chat. */
  static final ModelProfile MODEL =
      new ModelProfile(
          "http-bench:1b", Duration.ZERO, Duration.ZERO, 100_000, AnswerLength.fixed(10));

  /** The first Java that writes and reads an AOT cache with {@code -XX:AOTCacheOutput}. */
  private static final int AOT_CACHE_JAVA = 25;

  /** The training run that writes a client's AOT cache: every code path, few requests. */
  private static final int TRAINING_REQUESTS = 200;

  @Option(
      names = "--requests",
      paramLabel = "N",
      description =
          "Measured requests per phase (each kind, sequential and concurrent). Default 2000.")
  int requests = 2000;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Unmeasured requests per kind after the cold ones. Default 500.")
  int warmup = 500;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      description = "Loops sending at once in the concurrent phases. Default 4.")
  int concurrency = 4;

  @Option(
      names = "--idle",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long each child is watched idle (0: not at all). Default 30s.")
  Duration idle = Duration.ofSeconds(30);

  @Option(
      names = "--rounds",
      paramLabel = "R",
      description =
          "Runs of every client, interleaved (jdk, apache, helidon, jdk, ...); each cell is the"
              + " median. Default 1.")
  int rounds = 1;

  @Option(
      names = "--clients",
      paramLabel = "NAME",
      split = ",",
      description = "The clients, in order: jdk, apache, helidon. Default all three.")
  List<String> clients = List.of("jdk", "apache", "helidon");

  @Option(
      names = "--aot-cache",
      description =
          "Give each client's JVMs an AOT cache (Java 25 or newer), as bin/processor gives the"
              + " processor: one training run per client writes it first.")
  boolean aotCache;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the results go. Default: bench/results in the project.")
  Path out;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description =
          "The processor jar whose processor.jvmopts the children use. Default:"
              + " processor/target/processor.jar in the project.")
  Path jar;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    List<ClientKind> kinds;
    try {
      kinds = clients.stream().map(ClientKind::byId).distinct().toList();
      check(requests >= 1, "--requests " + requests + " must be at least 1");
      check(warmup >= 0, "--warmup " + warmup + " must not be negative");
      check(
          concurrency >= 1 && concurrency <= requests,
          "--concurrency " + concurrency + " must be within 1.." + requests + " (--requests)");
      check(rounds >= 1, "--rounds " + rounds + " must be at least 1");
      check(
          !aotCache || Runtime.version().feature() >= AOT_CACHE_JAVA,
          "--aot-cache needs Java " + AOT_CACHE_JAVA + " or newer; this is " + Runtime.version());
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    Path processorJar = jar != null ? jar.toAbsolutePath() : ProcessorProcess.defaultJar();
    Path jvmOptions;
    try {
      jvmOptions = ProcessorProcess.jvmOptions(processorJar);
    } catch (IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    Path dir =
        out != null ? out.toAbsolutePath() : projectRoot(processorJar).resolve("bench/results");
    Files.createDirectories(dir);

    QuietLogging.apply();
    BenchCommand.noDelayHttpServers();
    keepIdleConnections(idle);
    String stamp = STAMP.format(Instant.now());
    MachineInfo machine = MachineInfo.collect();
    stdout.println(
        "devstack http-clients: " + machine.describe() + "; load average " + machine.loadAverage());
    stdout.println(
        "each client in its own JVM with "
            + jvmOptions
            + "; "
            + rounds
            + " round(s) of "
            + requests
            + " requests per phase, warm-up "
            + warmup
            + ", concurrency "
            + concurrency
            + ", idle "
            + idle.toSeconds()
            + " s"
            + (aotCache ? ", an AOT cache per client" : ""));

    Map<ClientKind, List<ClientRun>> runs;
    try (ManagerServer manager =
            ManagerServer.start(ManagerOptions.builder().recordCompleteCalls(false).build());
        OllamaSimulator ollama =
            new OllamaSimulator(
                    OllamaSimulator.Options.builder()
                        .slots(concurrency)
                        .models(List.of(MODEL))
                        .recordCapacity(1_000)
                        .build())
                .start()) {
      Stack stack = new Stack(manager, ollama, new ChildJvm(jvmOptions, childTimeout()));
      Path aotDir = aotCache ? Files.createTempDirectory("http-clients-aot") : null;
      try {
        Map<ClientKind, List<String>> flags =
            aotDir != null ? trainAotCaches(stack, kinds, aotDir, stdout) : noFlags(kinds);
        runs = measure(stack, kinds, flags, stdout);
      } catch (HttpBenchException e) {
        stdout.println("failed");
        err.println("error: " + e.getMessage());
        return 1;
      } finally {
        if (aotDir != null) {
          deleteTree(aotDir);
        }
      }
    }

    HttpClientsReport report =
        new HttpClientsReport(
            stamp, machine, MachineInfo.currentLoadAverage(), setup(jvmOptions, kinds), runs);
    Path json = dir.resolve(stamp + "-http-clients.json");
    Path md = dir.resolve(stamp + "-http-clients.md");
    Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
    Files.writeString(md, report.toMarkdown(json.getFileName().toString()), StandardCharsets.UTF_8);
    stdout.println();
    stdout.print(report.table());
    stdout.println();
    stdout.println(
        "load average now " + report.loadAverageAtEnd() + " (others share this machine)");
    stdout.println("wrote " + json + ", " + md.getFileName());
    return 0;
  }

  /** The servers the children talk to, and how children are started. */
  private record Stack(ManagerServer manager, OllamaSimulator ollama, ChildJvm child) {}

  /** Every round of every client, interleaved; each client's runs in round order. */
  private Map<ClientKind, List<ClientRun>> measure(
      Stack stack, List<ClientKind> kinds, Map<ClientKind, List<String>> flags, PrintStream stdout)
      throws InterruptedException {
    Map<ClientKind, List<ClientRun>> runs = new LinkedHashMap<>();
    kinds.forEach(k -> runs.put(k, new ArrayList<>()));
    for (int round = 1; round <= rounds; round++) {
      for (ClientKind kind : kinds) {
        stdout.printf(Locale.ROOT, "round %d/%d, %s: ", round, rounds, kind.label());
        RunSettings settings = settings(kind, stack, requests, warmup, idle);
        ClientRun run = stack.child().run(settings, flags.get(kind));
        runs.get(kind).add(run);
        stdout.println(progressLine(run));
      }
    }
    return runs;
  }

  /**
   * Writes an AOT cache per client into {@code dir} from a short training run of its own; the JVM
   * flag that uses it, per client.
   */
  private Map<ClientKind, List<String>> trainAotCaches(
      Stack stack, List<ClientKind> kinds, Path dir, PrintStream stdout)
      throws IOException, InterruptedException {
    Map<ClientKind, List<String>> flags = new LinkedHashMap<>();
    for (ClientKind kind : kinds) {
      stdout.printf(Locale.ROOT, "AOT cache for %s: ", kind.label());
      Path cache = dir.resolve(kind.id() + ".aot");
      RunSettings training =
          settings(kind, stack, TRAINING_REQUESTS, TRAINING_REQUESTS, Duration.ZERO);
      stack.child().run(training, List.of("-XX:AOTCacheOutput=" + cache));
      if (!Files.isRegularFile(cache)) {
        throw new HttpBenchException(kind.label() + ": the training run wrote no " + cache);
      }
      flags.put(kind, List.of("-XX:AOTCache=" + cache));
      stdout.printf(Locale.ROOT, "%d MiB%n", Files.size(cache) >> 20);
    }
    return flags;
  }

  private static Map<ClientKind, List<String>> noFlags(List<ClientKind> kinds) {
    Map<ClientKind, List<String>> flags = new LinkedHashMap<>();
    kinds.forEach(k -> flags.put(k, List.of()));
    return flags;
  }

  /** Deletes the AOT caches' directory with whatever the training runs left in it. */
  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  private RunSettings settings(
      ClientKind kind, Stack stack, int requests, int warmup, Duration idle) {
    return new RunSettings(
        kind,
        stack.manager().baseUri(),
        stack.manager().apiKey(),
        URI.create(stack.ollama().baseUrl()),
        MODEL.name(),
        requests,
        warmup,
        Math.min(concurrency, requests),
        idle,
        ClientRunner.nowMicros());
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A bound on one child: its idle phase plus generous time for its requests. */
  private Duration childTimeout() {
    return idle.plusMinutes(10).plusMillis(20L * (4L * requests + 2L * warmup));
  }

  private static String progressLine(ClientRun run) {
    return String.format(
        Locale.ROOT,
        "claim p50 %.3f ms, chat p50 %.3f ms, CPU/claim %.3f ms, CPU/chat %.3f ms,"
            + " peak RSS %.0f MiB, first answer %.0f ms after spawn",
        run.figure(Figures.Phase.CLAIM_SEQUENTIAL.key(Figures.P50)),
        run.figure(Figures.Phase.CHAT_SEQUENTIAL.key(Figures.P50)),
        run.figure(Figures.Phase.CLAIM_SEQUENTIAL.key(Figures.CPU_PER_REQUEST)),
        run.figure(Figures.Phase.CHAT_SEQUENTIAL.key(Figures.CPU_PER_REQUEST)),
        run.figure(Figures.PEAK_RSS),
        run.figure(Figures.START_TO_FIRST_ANSWER));
  }

  private ObjectNode setup(Path jvmOptions, List<ClientKind> kinds) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("requests_per_phase", requests);
    s.put("warmup_per_kind", warmup);
    s.put("concurrency", concurrency);
    s.put("idle_s", idle.toMillis() / 1e3);
    s.put("rounds", rounds);
    s.put("aot_cache", aotCache);
    ArrayNode order = s.putArray("clients");
    kinds.forEach(k -> order.add(k.id()));
    ArrayNode flags = s.putArray("child_jvm_flags");
    ProcessorProcess.jvmFlags(jvmOptions).forEach(flags::add);
    s.put("model", MODEL.toString());
    s.put("connect_timeout_ms", Timeouts.DEFAULT.connect().toMillis());
    s.put("request_timeout_ms", Timeouts.DEFAULT.request().toMillis());
    s.put("http_servers_tcp_nodelay", true);
    return s;
  }

  /**
   * The JDK HTTP servers of the manager and the simulator close a connection idle for 30 s by
   * default; the Go servers they stand in for keep it. The idle phase must watch a client holding a
   * live connection, so they keep theirs a minute longer than it lasts. Read when the first server
   * starts.
   */
  private static void keepIdleConnections(Duration idle) {
    System.setProperty(
        "sun.net.httpserver.idleInterval", Long.toString(Math.max(30, idle.toSeconds() + 60)));
  }

  /** The checkout the jar belongs to: .../processor/target/processor.jar → ... */
  private static Path projectRoot(Path processorJar) {
    Path root = processorJar.getParent() == null ? null : processorJar.getParent().getParent();
    root = root == null ? null : root.getParent();
    return root == null ? Path.of("").toAbsolutePath() : root;
  }
}
