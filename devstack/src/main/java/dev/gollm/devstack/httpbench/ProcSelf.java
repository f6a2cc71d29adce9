package dev.gollm.devstack.httpbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Readings of this process from {@code /proc/self} (Linux), cheap enough to take between phases
 * without loading the management classes: CPU time, peak RSS, thread count.
 */
final class ProcSelf {
  /** Linux reports process times in USER_HZ ticks, 100 a second on every common platform. */
  private static final double MS_PER_TICK = 10;

  private ProcSelf() {}

  /** User and system CPU time of the whole process so far, in ms (10 ms resolution). */
  static double cpuMillis() {
    String stat = read("stat");
    // "pid (name) state ppid ... utime(14) stime(15) ...": fields after the name from state on
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
  }

  /** The peak resident set size so far ({@code VmHWM}), in MiB. */
  static double peakRssMib() {
    return status("VmHWM:") / 1024.0;
  }

  /** The number of threads the process has now. */
  static long threads() {
    return status("Threads:");
  }

  /** The number at the start of a line of /proc/self/status ("VmHWM:\t 123 kB" → 123). */
  private static long status(String key) {
    for (String line : read("status").split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("/proc/self/status has no " + key + " line");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of("/proc/self", file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/" + file + " (Linux only)", e);
    }
  }
}
