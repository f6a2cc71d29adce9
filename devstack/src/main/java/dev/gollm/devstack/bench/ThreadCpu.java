package dev.gollm.devstack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's threads by kind, read from {@code /proc/<pid>/task/<tid>/} (Linux): the JIT
 * compilers, the garbage collector, and everything else. It tells warm-up cost from the per-task
 * cost a long-running processor pays. A thread's time is its {@code schedstat} run time in ns where
 * the kernel keeps it, else its {@code stat} ticks (10 ms: an idle minute's few tens of ms moved in
 * steps of a fifth). Each thread's context switches ({@code status}) count its wake-ups, which
 * tells what an idle process still does.
 */
public final class ThreadCpu {
  /** Linux reports thread times in USER_HZ ticks, 100 a second on every common platform. */
  private static final long NANOS_PER_TICK = 10_000_000;

  /** What a JVM thread does, judged by its name. */
  public enum Kind {
    /** C1 and C2 compiler threads. */
    JIT,
    /** Garbage collector and safepoint work ("VM Thread" runs the serial collector). */
    GC,
    /** Everything else: the application, the HTTP client, timers. */
    OTHER
  }

  /**
   * @param ticks utime + stime from stat
   * @param runNanos the run time from schedstat, -1 where the kernel keeps none
   */
  private record Sample(String name, long ticks, long runNanos, long switches) {
    /** CPU ns since {@code before}: exact when both readings have schedstat, else in ticks. */
    long nanosSince(Sample before) {
      if (runNanos >= 0 && before.runNanos >= 0) {
        return Math.max(0, runNanos - before.runNanos);
      }
      return Math.max(0, ticks - before.ticks) * NANOS_PER_TICK;
    }
  }

  /**
   * What one thread did between two readings.
   *
   * @param name its name as /proc gives it (15 characters at most)
   * @param cpuMillis CPU time used, in ms
   * @param wakeUps context switches, voluntary (it blocked and was woken) and involuntary
   */
  public record Activity(String name, double cpuMillis, long wakeUps) {}

  private final Map<Long, Sample> threads;

  private ThreadCpu(Map<Long, Sample> threads) {
    this.threads = threads;
  }

  /** A reading before the process existed: every thread's whole time counts as since then. */
  public static ThreadCpu none() {
    return new ThreadCpu(Map.of());
  }

  /** Reads every thread of process {@code pid} now; empty when /proc cannot be read. */
  public static ThreadCpu read(long pid) {
    Map<Long, Sample> threads = new HashMap<>();
    Path dir = Path.of("/proc", Long.toString(pid), "task");
    List<Path> tasks;
    try (Stream<Path> list = Files.list(dir)) {
      tasks = list.toList();
    } catch (IOException e) {
      return new ThreadCpu(Map.of());
    }
    for (Path task : tasks) {
      try {
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
        long switches = contextSwitches(task.resolve("status"));
        parse(stat, runNanos(task), switches)
            .ifPresent(s -> threads.put(Long.parseLong(task.getFileName().toString()), s));
      } catch (IOException | NumberFormatException e) {
        // the thread ended between listing and reading
      }
    }
    return new ThreadCpu(threads);
  }

  /** Name and utime+stime from one stat line: "tid (name) state ... utime stime ...". */
  private static java.util.Optional<Sample> parse(String stat, long runNanos, long switches) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      return java.util.Optional.empty();
    }
    String[] fields = stat.substring(close + 2).trim().split(" ");
    if (fields.length < 13) {
      return java.util.Optional.empty();
    }
    // After the name: state(0) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime(11) stime(12)
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return java.util.Optional.of(
        new Sample(stat.substring(open + 1, close), ticks, runNanos, switches));
  }

  /** A thread's run time in ns from its schedstat, -1 when the kernel keeps none. */
  private static long runNanos(Path task) {
    try {
      return parseRunNanos(Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return -1;
    }
  }

  /** The first field of a schedstat line ("run_ns wait_ns slices"), -1 when it is not a number. */
  static long parseRunNanos(String schedstat) {
    String line = schedstat.strip();
    int space = line.indexOf(' ');
    try {
      return Long.parseLong(space < 0 ? line : line.substring(0, space));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** voluntary_ctxt_switches + nonvoluntary_ctxt_switches of one thread's status file. */
  private static long contextSwitches(Path status) throws IOException {
    long switches = 0;
    for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
      if (line.startsWith("voluntary_ctxt_switches:")
          || line.startsWith("nonvoluntary_ctxt_switches:")) {
        switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return switches;
  }

  /** The kind of a JVM thread, by the name the JVM gives it (15 characters at most in /proc). */
  public static Kind kindOf(String threadName) {
    if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
      return Kind.JIT;
    }
    if (threadName.startsWith("GC ")
        || threadName.startsWith("G1 ")
        || threadName.equals("VM Thread")
        || threadName.startsWith("VM Periodic")) {
      return Kind.GC;
    }
    return Kind.OTHER;
  }

  /**
   * Thread {@code tid}'s reading here, or zero for a thread started since (it counts from zero).
   */
  private Sample before(long tid, Sample now) {
    return threads.getOrDefault(tid, new Sample(now.name(), 0, 0, 0));
  }

  /** Whether every thread's time is schedstat's exact run time (not 10 ms ticks). */
  public boolean exact() {
    return !threads.isEmpty() && threads.values().stream().allMatch(t -> t.runNanos() >= 0);
  }

  /**
   * Per thread, the CPU time and wake-ups since {@code earlier} (threads started since count from
   * zero), busiest first by wake-ups; threads that did nothing are left out.
   */
  public List<Activity> activitySince(ThreadCpu earlier) {
    List<Activity> activity = new ArrayList<>();
    threads.forEach(
        (tid, now) -> {
          Sample before = earlier.before(tid, now);
          long nanos = now.nanosSince(before);
          long wakeUps = Math.max(0, now.switches() - before.switches());
          if (nanos > 0 || wakeUps > 0) {
            activity.add(new Activity(now.name(), nanos / 1e6, wakeUps));
          }
        });
    activity.sort(
        Comparator.comparingLong(Activity::wakeUps)
            .thenComparingDouble(Activity::cpuMillis)
            .reversed());
    return activity;
  }

  /**
   * CPU ms per kind spent since {@code earlier}, counting threads alive at both readings and
   * threads started since; a thread that ended in between is not counted (its time is lost).
   */
  public Map<Kind, Double> millisSince(ThreadCpu earlier) {
    Map<Kind, Double> ms = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      ms.put(k, 0.0);
    }
    threads.forEach(
        (tid, now) -> {
          Sample before = earlier.before(tid, now);
          ms.merge(kindOf(now.name()), now.nanosSince(before) / 1e6, Double::sum);
        });
    return ms;
  }
}
