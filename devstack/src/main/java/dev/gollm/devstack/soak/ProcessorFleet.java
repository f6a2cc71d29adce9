package dev.gollm.devstack.soak;

import dev.gollm.devstack.process.ProcessorProcess;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's processors: each a {@link ProcessorProcess} from the jar, its output written to its
 * own log file, its health port read from the line that announces it.
 */
final class ProcessorFleet implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("health server listening on 127\\.0\\.0\\.1:(\\d+)");

  /** One running processor. */
  record Member(String name, ProcessorProcess process, CompletableFuture<Integer> port, Path log) {}

  private final List<Member> members = new ArrayList<>();
  private final List<BufferedWriter> logs = new ArrayList<>();

  /** Starts {@code count} processors named {@code soak-1..N} with {@code env} plus their id. */
  static ProcessorFleet start(int count, Path jar, Map<String, String> env, Path logDir) {
    ProcessorFleet fleet = new ProcessorFleet();
    try {
      for (int i = 1; i <= count; i++) {
        String name = "soak-" + i;
        Path logFile = logDir.resolve(name + ".log");
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        fleet.logs.add(log);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Map<String, String> own = new java.util.HashMap<>(env);
        own.put("PROCESSOR_ID", name);
        ProcessorProcess process =
            ProcessorProcess.start(name, jar, own, List.of(), line -> write(log, line, port));
        fleet.members.add(new Member(name, process, port, logFile));
      }
    } catch (IOException e) {
      fleet.close();
      throw new UncheckedIOException("cannot write the processor logs under " + logDir, e);
    } catch (RuntimeException e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  private static void write(BufferedWriter log, String line, CompletableFuture<Integer> port) {
    if (!port.isDone()) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port.complete(Integer.parseInt(m.group(1)));
      }
    }
    synchronized (log) {
      try {
        log.write(line);
        log.newLine();
      } catch (IOException e) {
        // A full disk must not stop the processor's output reader; the line is lost.
      }
    }
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  /** Waits until every processor has announced its health port. */
  void awaitStarted(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Member m : members) {
      try {
        m.port().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            m.name() + " did not report its health port within " + limit + "; see " + m.log(), e);
      }
    }
  }

  /** SIGTERM to all at once, then each one's exit status (-1: still running after the limit). */
  List<Integer> terminate(Duration limit) throws InterruptedException {
    members.forEach(m -> m.process().handle().destroy());
    List<Integer> statuses = new ArrayList<>();
    for (Member m : members) {
      statuses.add(m.process().awaitExit(limit));
    }
    return statuses;
  }

  @Override
  public void close() {
    members.forEach(m -> m.process().close());
    for (BufferedWriter log : logs) {
      synchronized (log) {
        try {
          log.close();
        } catch (IOException e) {
          // nothing more to write
        }
      }
    }
  }
}
