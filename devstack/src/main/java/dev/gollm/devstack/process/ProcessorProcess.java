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
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A processor running as its own JVM, as in production: started with the JVM flags of {@code
 * processor.jvmopts} (as {@code bin/processor} does) and exactly the environment given. Its merged
 * stdout and stderr go line by line to a consumer (a prefixing printer, a log file), and the last
 * {@link #KEPT_LINES} lines are kept for tests to search, to find its health port and to quote when
 * it fails.
 */
public final class ProcessorProcess implements AutoCloseable {
  /** The file of the processor's JVM flags, beside its jar; java reads it as {@code @file}. */
  public static final String JVM_OPTIONS_FILE = "processor.jvmopts";

  /** Output lines kept in memory; older ones are only counted (they still reach the consumer). */
  public static final int KEPT_LINES = 10_000;

  /**
   * What to run: the processor's jar or its main class on a class path (for tests that run before
   * the jar is packaged), with its JVM options file, its command line after that, and the working
   * directory, where the processor looks for a {@code .env} file (null: this JVM's).
   *
   * @param jvmOptions the JVM options file, passed to java as {@code @file}
   * @param launcher the java arguments that name the program, e.g. {@code -jar processor.jar}
   * @param arguments the processor's own arguments, {@code run} by default
   * @param directory the working directory, or null
   */
  public record Program(
      Path jvmOptions, List<String> launcher, List<String> arguments, Path directory) {
    public Program {
      launcher = List.copyOf(launcher);
      arguments = List.copyOf(arguments);
    }

    /** {@code processor run} from the runnable jar, as {@code bin/processor} starts it. */
    public static Program jar(Path jar) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing; run 'make build' first");
      }
      return new Program(
          ProcessorProcess.jvmOptions(jar), List.of("-jar", jar.toString()), List.of("run"), null);
    }

    /**
     * {@code processor run} from {@code mainClass} on {@code classPath}, with {@code jvmOptions}.
     */
    public static Program mainClass(String classPath, String mainClass, Path jvmOptions) {
      return new Program(jvmOptions, List.of("-cp", classPath, mainClass), List.of("run"), null);
    }

    /** The same program with other arguments, e.g. {@code config}. */
    public Program withArguments(String... arguments) {
      return new Program(jvmOptions, launcher, List.of(arguments), directory);
    }

    /** The same program started in {@code directory}. */
    public Program inDirectory(Path directory) {
      return new Program(jvmOptions, launcher, arguments, directory);
    }
  }

  private final String name;
  private final Process process;
  private final Thread reader;
  private final Instant startedAt;
  private final long startedNanos;
  private final OutputTail tail = new OutputTail(KEPT_LINES);

  private ProcessorProcess(
      String name, Process process, Instant startedAt, long startedNanos, Consumer<String> output) {
    this.name = name;
    this.process = process;
    this.startedAt = startedAt;
    this.startedNanos = startedNanos;
    this.reader = Thread.ofVirtual().name(name + "-output").start(() -> read(output));
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
    return start(name, Program.jar(jar), env, extraJvmFlags, output);
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

  /** Starts {@code program} with exactly {@code env} (plus PATH), otherwise as the jar. */
  public static ProcessorProcess start(
      String name,
      Program program,
      Map<String, String> env,
      List<String> extraJvmFlags,
      Consumer<String> output) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + program.jvmOptions());
    command.addAll(extraJvmFlags);
    command.addAll(program.launcher());
    command.addAll(program.arguments());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (program.directory() != null) {
      builder.directory(program.directory().toFile());
    }
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

  private void read(Consumer<String> output) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.accept(line);
        tail.add(line);
      }
    } catch (IOException e) {
      String note = "(" + name + " output ended: " + e.getMessage() + ")";
      output.accept(note);
      tail.add(note);
    } finally {
      tail.end();
    }
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

  /** The output lines kept so far (the last {@link #KEPT_LINES}), oldest first. */
  public List<String> output() {
    return tail.lines();
  }

  /** The last {@code n} output lines (fewer if there are not as many), oldest first. */
  public List<String> lastLines(int n) {
    return tail.last(n);
  }

  /** Output lines no longer kept because more than {@link #KEPT_LINES} followed them. */
  public long droppedLines() {
    return tail.dropped();
  }

  /** The health server's port, once the processor has logged it. */
  public OptionalInt healthPort() {
    return tail.healthPort();
  }

  /**
   * Waits until the processor logs its health server's port (at info level, so not with {@code
   * LOG_LEVEL=warn}).
   *
   * @throws IllegalStateException when its output ends or {@code limit} passes first, with its last
   *     output lines
   */
  public int awaitHealthPort(Duration limit) throws InterruptedException {
    return tail.awaitHealthPort("processor " + name, limit);
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

  /**
   * Waits for the process to end and its last output line to be read; its exit status, or -1 when
   * it is still running.
   */
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
