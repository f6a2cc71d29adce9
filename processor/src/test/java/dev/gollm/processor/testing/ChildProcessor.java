package dev.gollm.processor.testing;

import dev.gollm.processor.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor as its own JVM, started from the test classpath ({@code java -cp … Main run}, so no
 * packaged jar is needed) with exactly the given environment; its merged stdout and stderr are kept
 * line by line for the test to wait on and search, and copied to the test's log (at INFO).
 */
public final class ChildProcessor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessor.class);
  private static final Pattern LISTENING =
      Pattern.compile("health server listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Thread reader;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition newLine = lock.newCondition();
  private final List<String> lines = new ArrayList<>();
  private boolean ended;

  private ChildProcessor(Process process) {
    this.process = process;
    this.reader = Thread.ofVirtual().name("child-output").start(this::read);
  }

  /**
   * Starts {@code processor run} in {@code workingDirectory} (where it looks for a .env file) with
   * {@code env} plus PATH, and {@code args} after {@code run}.
   */
  public static ChildProcessor start(
      Map<String, String> env, Path workingDirectory, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xss512k"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    try {
      return new ChildProcessor(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a processor process", e);
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        add(line);
      }
    } catch (IOException e) {
      add("(output ended: " + e + ")");
    } finally {
      lock.lock();
      try {
        ended = true;
        newLine.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void add(String line) {
    LOG.info("[child {}] {}", process.pid(), line);
    lock.lock();
    try {
      lines.add(line);
      newLine.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Every output line so far. */
  public List<String> output() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the first output line matching {@code pattern}; fails after {@code limit}. */
  public Matcher awaitLine(Pattern pattern, Duration limit) throws InterruptedException {
    long nanos = limit.toNanos();
    int seen = 0;
    lock.lock();
    try {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        if (ended || nanos <= 0) {
          throw new AssertionError(
              "no output line matches "
                  + pattern
                  + (ended ? " (the process ended)" : "")
                  + "; output:\n"
                  + String.join("\n", lines));
        }
        nanos = newLine.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The health server's port, once the processor has logged it. */
  public int awaitHealthPort(Duration limit) throws InterruptedException {
    return Integer.parseInt(awaitLine(LISTENING, limit).group(1));
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM: an orderly stop. */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: the process dies holding whatever it held. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** Waits for the exit and the last output line; the exit status. */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the processor did not exit within " + limit);
    }
    reader.join(Duration.ofSeconds(10));
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
