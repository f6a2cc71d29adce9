package dev.gollm.testsupport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds this JVM used so far, with those of the child processes it has waited for (child
 * processor JVMs): on a machine shared with other builds, a test class's CPU time says what it
 * costs where its wall time says how busy the machine was.
 */
final class CpuTime {
  private static final Path STAT = Path.of("/proc/self/stat");

  /** /proc reports in clock ticks of USER_HZ, which Linux fixes at 100 per second. */
  private static final double TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /**
   * utime + stime + cutime + cstime from /proc/self/stat on Linux; elsewhere this JVM's own CPU
   * time only.
   */
  static double now() {
    try {
      String stat = Files.readString(STAT);
      // Fields after the command name in parentheses (which may hold spaces): state is field 3,
      // utime, stime, cutime and cstime are fields 14 to 17.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int field = 14; field <= 17; field++) {
        ticks += Long.parseLong(fields[field - 3]);
      }
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
              .getProcessCpuTime()
          / 1e9;
    }
  }
}
