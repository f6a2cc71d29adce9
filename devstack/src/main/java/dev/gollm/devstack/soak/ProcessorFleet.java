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
import java.util.function.IntFunction;

/**
 * The soak's processors: each a {@link ProcessorProcess} from the jar, its output written to its
 * own log file.
 */
final class ProcessorFleet implements AutoCloseable {
  /** One running processor. */
  record Member(String name, ProcessorProcess process, Path log) {
    /** The health server's port; the fleet has started. */
    int port() {
      return process.healthPort().orElseThrow();
    }
  }

  private final List<Member> members = new ArrayList<>();
  private final List<BufferedWriter> logs = new ArrayList<>();

  /**
   * Starts {@code count} processors named {@code soak-1..N}, member i (from 1) with {@code
   * env.apply(i)} plus its id.
   */
  static ProcessorFleet start(
      int count, Path jar, IntFunction<Map<String, String>> env, Path logDir) {
    ProcessorFleet fleet = new ProcessorFleet();
    try {
      for (int i = 1; i <= count; i++) {
        String name = "soak-" + i;
        Path logFile = logDir.resolve(name + ".log");
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        fleet.logs.add(log);
        Map<String, String> own = new java.util.HashMap<>(env.apply(i));
        own.put("PROCESSOR_ID", name);
        ProcessorProcess process =
            ProcessorProcess.start(name, jar, own, List.of(), line -> write(log, line));
        fleet.members.add(new Member(name, process, logFile));
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

  private static void write(BufferedWriter log, String line) {
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
        m.process().awaitHealthPort(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (IllegalStateException e) {
        throw new IllegalStateException(e.getMessage() + "\n(the whole log: " + m.log() + ")", e);
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
