package dev.gollm.processor.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * This process's CPU time so far, user and system, all threads. On Linux read from {@code
 * /proc/self/stat}: a 2 ms read at start against 12 to 14 ms for the platform management beans, and
 * no user-name lookup as in {@link ProcessHandle.Info}, which serves the other systems.
 */
final class ProcessCpuTime {
  private static final Path STAT = Path.of("/proc/self/stat");

  /** Linux counts CPU time in USER_HZ ticks, a hundred a second on every platform Java runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcessCpuTime() {}

  /** Nanoseconds, or -1 when the system does not tell. */
  static long nanos() {
    byte[] stat;
    try {
      stat = Files.readAllBytes(STAT);
    } catch (IOException e) {
      return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
    // Byte for byte: the command name may hold bytes that are not UTF-8, the numbers are ASCII.
    return parse(new String(stat, StandardCharsets.ISO_8859_1));
  }

  /**
   * The CPU time in a {@code /proc/<pid>/stat} line, or -1 when the line has another shape. The
   * command name (field 2) is in parentheses and may hold spaces and parentheses itself, so the
   * fields are counted from its last closing parenthesis: utime and stime are fields 14 and 15.
   */
  static long parse(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 1).strip().split(" ", 14);
    if (fields.length < 14) {
      return -1;
    }
    try {
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
