package dev.gollm.devstack.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A processor running as its own JVM, as in production: started from {@code
 * processor/target/processor.jar} with the JVM flags of {@code processor.jvmopts} beside it, as
 * {@code bin/processor} does, and an explicit environment. Its output lines go to a consumer (a
 * prefixing printer, a log file, a test).
 */
public final class ProcessorProcess implements AutoCloseable {
  /** The file of the processor's JVM flags, beside its jar; java reads it as {@code @file}. */
  public static final String JVM_OPTIONS_FILE = "processor.jvmopts";

  private final String name;
  private final Process process;
  private final Thread reader;
  private final Instant startedAt;
  private final long startedNanos;

  private ProcessorProcess(
      String name, Process process, Instant startedAt, long startedNanos, Consumer<String> output) {
    this.name = name;
    this.process = process;
    this.startedAt = startedAt;
    this.startedNanos = startedNanos;
    this.reader =
        Thread.ofVirtual()
            .name(name + "-output")
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                      output.accept(line);
                    }
                  } catch (IOException e) {
                    output.accept("(" + name + " output ended: " + e.getMessage() + ")");
                  }
                });
  }

  /**
   * Starts {@code processor run} from the jar with the JVM flags of {@link #JVM_OPTIONS_FILE}
   * beside it, then {@code extraJvmFlags}, and exactly {@code env} (plus PATH); stdout and stderr
   * merged into {@code output}.
   */
  public static ProcessorProcess start(
      String name,
      Path jar,
      Map<String, String> env,
      List<String> extraJvmFlags,
      Consumer<String> output) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run 'make build' first");
    }
    return launch(
        name, jvmOptions(jar), List.of("-jar", jar.toString()), env, extraJvmFlags, output);
  }

  /**
   * Starts {@code processor run} from a class path instead of the jar (for tests that run before
   * the jar is packaged): {@code mainClass} on {@code classPath} with the flags of {@code
   * jvmOptions}, otherwise as {@link #start}.
   */
  public static ProcessorProcess startFromClassPath(
      String name,
      String classPath,
      String mainClass,
      Path jvmOptions,
      Map<String, String> env,
      List<String> extraJvmFlags,
      Consumer<String> output) {
    return launch(
        name, jvmOptions, List.of("-cp", classPath, mainClass), env, extraJvmFlags, output);
  }

  /**
   * The JVM options file beside {@code jar}.
   *
   * @throws IllegalStateException when it is missing
   */
  public static Path jvmOptions(Path jar) {
    Path options = jar.resolveSibling(JVM_OPTIONS_FILE);
    if (!Files.isRegularFile(options)) {
      throw new IllegalStateException(
          options + " (the processor's JVM flags) is missing; run 'make build' first");
    }
    return options;
  }

  /** The flags in a JVM options file: whitespace-separated, {@code #} to the end of a line. */
  public static List<String> jvmFlags(Path jvmOptions) {
    try {
      return Files.readAllLines(jvmOptions, StandardCharsets.UTF_8).stream()
          .map(line -> line.replaceFirst("#.*", "").strip())
          .filter(line -> !line.isEmpty())
          .flatMap(line -> Arrays.stream(line.split("\\s+")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jvmOptions, e);
    }
  }

  private static ProcessorProcess launch(
      String name,
      Path jvmOptions,
      List<String> program,
      Map<String, String> env,
      List<String> extraJvmFlags,
      Consumer<String> output) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + jvmOptions);
    command.addAll(extraJvmFlags);
    command.addAll(program);
    command.add("run");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    try {
      Instant startedAt = Instant.now();
      long startedNanos = System.nanoTime();
      return new ProcessorProcess(name, builder.start(), startedAt, startedNanos, output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start processor " + name, e);
    }
  }

  /**
   * The processor jar of this checkout: {@code processor/target/processor.jar} next to the devstack
   * jar's module, or under the working directory.
   */
  public static Path defaultJar() {
    try {
      Path self =
          Path.of(
              ProcessorProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // devstack/target/devstack.jar or devstack/target/classes -> the project root is ../../
      Path root = self.getParent().getParent().getParent();
      Path jar = root.resolve("processor/target/processor.jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return Path.of("processor/target/processor.jar").toAbsolutePath();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process handle, e.g. for CPU time and RSS readings. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The wall-clock instant just before the JVM was spawned. */
  public Instant startedAt() {
    return startedAt;
  }

  /** {@link System#nanoTime()} just before the JVM was spawned, for measuring start-up time. */
  public long startedNanos() {
    return startedNanos;
  }

  /** CPU time (user and system) the process has used so far; empty when the OS does not say. */
  public Optional<Duration> cpuTime() {
    return process.toHandle().info().totalCpuDuration();
  }

  /**
   * The peak resident set size so far ({@code VmHWM} in {@code /proc/<pid>/status}, Linux only);
   * empty when the file cannot be read or has no such line.
   */
  public OptionalLong peakRssBytes() {
    return statusKibibytes("VmHWM:");
  }

  /** The resident set size now ({@code VmRSS}); empty where {@code /proc} is missing. */
  public OptionalLong rssBytes() {
    return statusKibibytes("VmRSS:");
  }

  private OptionalLong statusKibibytes(String key) {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith(key)) {
          // "VmHWM:\t  123456 kB"
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** Sends SIGTERM (an orderly shutdown) and waits up to {@code timeout}; the exit status or -1. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  /** Sends SIGKILL: the process dies without a chance to hand anything back. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the process to end; its exit status, or -1 when it is still running. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    reader.join(Duration.ofSeconds(5));
    return process.exitValue();
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
