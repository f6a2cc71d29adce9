package dev.gollm.devstack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A reading of where CPU time went: the whole machine's busy and total time ({@code /proc/stat},
 * Linux) and this JVM's own CPU time (the manager and simulator run here). Two readings give the
 * cores each used in between, which tells a slow figure caused by a full machine from one caused by
 * the processor.
 *
 * @param machineBusyTicks clock ticks the machine spent on anything but idle and iowait; -1 when
 *     unknown
 * @param machineTotalTicks all clock ticks of all CPUs; -1 when unknown
 * @param selfCpuNanos this JVM's CPU time; -1 when unknown
 * @param wallNanos {@link System#nanoTime()} of the reading
 */
public record CpuClock(
    long machineBusyTicks, long machineTotalTicks, long selfCpuNanos, long wallNanos) {

  /** Reads the clocks now. */
  public static CpuClock read() {
    long busy = -1;
    long total = -1;
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      lines = List.of();
    }
    if (!lines.isEmpty() && lines.getFirst().startsWith("cpu ")) {
      long[] ticks = parseCpuLine(lines.getFirst());
      if (ticks.length >= 5) {
        total = 0;
        for (int i = 0; i < Math.min(ticks.length, 8); i++) {
          total += ticks[i]; // user nice system idle iowait irq softirq steal (guest is in user)
        }
        busy = total - ticks[3] - ticks[4];
      }
    }
    long self =
        ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    return new CpuClock(busy, total, self, System.nanoTime());
  }

  /** The numbers after "cpu" on the first line of /proc/stat. */
  static long[] parseCpuLine(String line) {
    String[] parts = line.trim().split("\\s+");
    long[] ticks = new long[parts.length - 1];
    for (int i = 1; i < parts.length; i++) {
      try {
        ticks[i - 1] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        return new long[0];
      }
    }
    return ticks;
  }

  /** The share of the whole machine busy since {@code earlier}, 0..1, or NaN when unknown. */
  public double machineBusyShareSince(CpuClock earlier) {
    long total = machineTotalTicks - earlier.machineTotalTicks;
    if (machineTotalTicks < 0 || earlier.machineTotalTicks < 0 || total <= 0) {
      return Double.NaN;
    }
    return (double) (machineBusyTicks - earlier.machineBusyTicks) / total;
  }

  /** Cores this JVM kept busy on average since {@code earlier}, or NaN when unknown. */
  public double selfCoresSince(CpuClock earlier) {
    long wall = wallNanos - earlier.wallNanos;
    if (selfCpuNanos < 0 || earlier.selfCpuNanos < 0 || wall <= 0) {
      return Double.NaN;
    }
    return (double) (selfCpuNanos - earlier.selfCpuNanos) / wall;
  }
}
