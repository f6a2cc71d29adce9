package dev.gollm.devstack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The machine a run measured on: CPU model and count, memory, OS, the Java runtime (the processors
 * run on the same one) and the load average, which shows how much else was running.
 *
 * @param cpuModel the first "model name" of /proc/cpuinfo, or "unknown"
 * @param cpus processors available to the JVM
 * @param memoryMb MemTotal of /proc/meminfo in MiB, or -1
 * @param os name, version and architecture
 * @param java the runtime version and VM
 * @param loadAverage the 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown"
 */
public record MachineInfo(
    String cpuModel, int cpus, long memoryMb, String os, String java, String loadAverage) {

  /** Reads the figures of this machine now. */
  public static MachineInfo collect() {
    return new MachineInfo(
        readCpuModel(),
        Runtime.getRuntime().availableProcessors(),
        readMemoryMb(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("java.vendor")
            + ")",
        currentLoadAverage());
  }

  /** The 1, 5 and 15 minute load averages now, or "unknown". */
  public static String currentLoadAverage() {
    List<String> lines = lines(Path.of("/proc/loadavg"));
    if (lines.isEmpty()) {
      return "unknown";
    }
    String[] parts = lines.getFirst().split("\\s+");
    return parts.length < 3 ? "unknown" : parts[0] + " " + parts[1] + " " + parts[2];
  }

  private static String readCpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(colon + 1).trim();
      }
    }
    return "unknown";
  }

  private static long readMemoryMb() {
    for (String line : lines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        try {
          return Long.parseLong(parts[0]) / 1024;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** One line for the report's heading. */
  public String describe() {
    return cpus
        + " × "
        + cpuModel
        + ", "
        + (memoryMb < 0 ? "?" : memoryMb)
        + " MiB, "
        + os
        + ", Java "
        + java;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("cpu_model", cpuModel);
    o.put("cpus", cpus);
    o.put("memory_mb", memoryMb);
    o.put("os", os);
    o.put("java", java);
    o.put("load_average", loadAverage);
    return o;
  }
}
