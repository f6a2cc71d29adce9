package dev.gollm.devstack.httpbench;

import dev.gollm.devstack.QuietLogging;
import dev.gollm.devstack.bench.Summary;
import dev.gollm.devstack.bench.ThreadCpu;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The child JVM of {@code devstack http-clients}: drives one HTTP client against the manager and
 * the simulator from virtual threads, as the processor would, and prints its figures on stdout, one
 * {@code figure KEY VALUE} line each (see {@link Figures}), {@code detail KEY TEXT} lines for the
 * JSON, or one {@code error MESSAGE} line and exit status 1 when a request fails.
 *
 * <p>Order: the cold requests (the very first claim and chat), a warm-up, the measured phases
 * (claims, then chats; sequential, then from several loops at once), then idle with a fresh client
 * holding one kept-alive connection, then the process's peak RSS, threads and loaded classes (the
 * management classes that count them are loaded last, so they cost no phase anything).
 */
public final class ClientRunner {
  static final String FIGURE = "figure";
  static final String DETAIL = "detail";
  static final String ERROR = "error";

  /** A bound on a whole phase, on top of each request's own timeouts. */
  private static final Duration PHASE_LIMIT = Duration.ofMinutes(10);

  /** One request of a phase. */
  @FunctionalInterface
  private interface Exchange {
    void run() throws IOException, InterruptedException;
  }

  /** The latencies of a phase in ms, its wall-clock time and the process's CPU time meanwhile. */
  private record Measured(double[] latencies, double wallMillis, double cpuMillis) {}

  private final RunSettings settings;
  private final PrintStream out;
  private final URI claimUri;
  private final URI chatUri;
  private final String authorization;
  private final byte[] claimBody;
  private final byte[] chatBody;

  private ClientRunner(RunSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.claimUri = settings.manager().resolve("/api/internal/claim");
    this.chatUri = settings.ollama().resolve("/api/chat");
    this.authorization = "Bearer " + settings.apiKey();
    this.claimBody =
        ("{\"processor_id\":\"http-clients-" + settings.client().id() + "\",\"batch_size\":1}")
            .getBytes(StandardCharsets.UTF_8);
    this.chatBody =
        ("{\"model\":\""
                + settings.model()
                + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Describe the product.\"},"
                + "{\"role\":\"user\",\"content\":\"hand-thrown stoneware mug\"}],"
                + "\"stream\":true,\"keep_alive\":\"30m\"}")
            .getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // The processor runs SLF4J and Logback at info level: Apache's debug logging must cost here
    // what it costs there, a disabled check, not a line per header.
    QuietLogging.apply();
    try {
      new ClientRunner(RunSettings.parse(args), out).run();
    } catch (Exception e) {
      out.println(ERROR + " " + describe(e));
      System.exit(1);
    }
    // the JDK client's selector thread and Helidon's executor must not keep the JVM up
    System.exit(0);
  }

  private void run() throws Exception {
    long buildStart = System.nanoTime();
    BenchClient client = settings.client().open(Timeouts.DEFAULT);
    figure(Figures.CLIENT_BUILD, millisSince(buildStart));
    double firstClaim = measure(1, 1, () -> claim(client)).latencies()[0];
    long answeredAtMicros = nowMicros();
    figure(Figures.FIRST_CLAIM, firstClaim);
    figure(Figures.START_TO_FIRST_ANSWER, (answeredAtMicros - settings.spawnedAtMicros()) / 1e3);
    figure(Figures.FIRST_CHAT, measure(1, 1, () -> chat(client)).latencies()[0]);

    int half = settings.warmup() / 2;
    for (Exchange e : List.<Exchange>of(() -> claim(client), () -> chat(client))) {
      measure(1, settings.warmup() - half, e);
      measure(Math.min(settings.concurrency(), Math.max(half, 1)), half, e);
    }

    int n = settings.requests();
    int c = settings.concurrency();
    report(Figures.Phase.CLAIM_SEQUENTIAL, measure(1, n, () -> claim(client)));
    report(Figures.Phase.CLAIM_CONCURRENT, measure(c, n, () -> claim(client)));
    report(Figures.Phase.CHAT_SEQUENTIAL, measure(1, n, () -> chat(client)));
    report(Figures.Phase.CHAT_CONCURRENT, measure(c, n, () -> chat(client)));
    client.close();

    try (BenchClient idleClient = settings.client().open(Timeouts.DEFAULT)) {
      idle(idleClient);
      figure(Figures.PEAK_RSS, ProcSelf.peakRssMib());
      figure(Figures.THREADS, ProcSelf.threads());
    }
    figure(Figures.CLASSES, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
  }

  /**
   * One claim leaves a kept-alive connection in the client's pool; then the process is watched
   * doing nothing: its CPU time and each thread's context switches (the main thread's own wake-up
   * at the end of the wait is one of them).
   */
  private void idle(BenchClient client) throws Exception {
    if (settings.idle().isZero()) {
      figure(Figures.IDLE_CPU, Double.NaN);
      figure(Figures.IDLE_WAKE_UPS, Double.NaN);
      return;
    }
    measure(1, 1, () -> claim(client));
    long pid = ProcessHandle.current().pid();
    ThreadCpu before = ThreadCpu.read(pid);
    double cpuBefore = ProcSelf.cpuMillis();
    Thread.sleep(settings.idle());
    double cpuAfter = ProcSelf.cpuMillis();
    List<ThreadCpu.Activity> activity = ThreadCpu.read(pid).activitySince(before);
    figure(Figures.IDLE_CPU, cpuAfter - cpuBefore);
    figure(Figures.IDLE_WAKE_UPS, activity.stream().mapToLong(ThreadCpu.Activity::wakeUps).sum());
    out.println(
        DETAIL
            + " idle_threads "
            + activity.stream()
                .map(a -> a.name().replace(' ', '_') + "=" + a.wakeUps())
                .collect(Collectors.joining(",")));
  }

  private void claim(BenchClient client) throws IOException, InterruptedException {
    byte[] answer = client.post(claimUri, authorization, claimBody);
    if (!new String(answer, StandardCharsets.UTF_8).contains("\"tasks\"")) {
      throw new IOException(claimUri + ": the claim answer lacks \"tasks\"");
    }
  }

  private void chat(BenchClient client) throws IOException, InterruptedException {
    client.stream(chatUri, chatBody);
  }

  /**
   * Runs {@code total} requests spread over {@code loops} virtual threads, each sending its share
   * one after another.
   */
  private static Measured measure(int loops, int total, Exchange exchange) throws Exception {
    if (total == 0) {
      return new Measured(new double[0], 0, 0);
    }
    double cpuStart = ProcSelf.cpuMillis();
    long start = System.nanoTime();
    List<double[]> perLoop = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        int share = total / loops + (i < total % loops ? 1 : 0);
        futures.add(threads.submit(() -> loop(share, exchange)));
      }
      long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
      try {
        for (Future<double[]> f : futures) {
          perLoop.add(await(f, deadline));
        }
      } catch (Exception e) {
        threads.shutdownNow(); // the run fails: the other loops need not finish their share
        throw e;
      }
    }
    double wall = millisSince(start);
    double cpu = ProcSelf.cpuMillis() - cpuStart;
    double[] all = perLoop.stream().flatMapToDouble(Arrays::stream).toArray();
    return new Measured(all, wall, cpu);
  }

  private static double[] loop(int count, Exchange exchange) throws Exception {
    double[] latencies = new double[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      exchange.run();
      latencies[i] = millisSince(t0);
    }
    return latencies;
  }

  private static double[] await(Future<double[]> f, long deadlineNanos) throws Exception {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("a phase took longer than " + PHASE_LIMIT);
    }
  }

  private void report(Figures.Phase phase, Measured m) {
    Summary s = Summary.of(m.latencies());
    figure(phase.key(Figures.P50), s.p50());
    figure(phase.key(Figures.P99), s.p99());
    figure(phase.key(Figures.MAX), s.max());
    figure(phase.key(Figures.CPU_PER_REQUEST), m.cpuMillis() / m.latencies().length);
    figure(phase.key(Figures.THROUGHPUT), m.latencies().length / (m.wallMillis() / 1e3));
  }

  private void figure(String key, double value) {
    out.println(FIGURE + " " + key + " " + String.format(Locale.ROOT, "%.6f", value));
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String text = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    return text.replace('\n', ' ');
  }
}
