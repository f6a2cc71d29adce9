package dev.gollm.devstack.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads a processor's memory from outside: heap in use from its Prometheus meters ({@code
 * jvm_memory_used_bytes{area="heap"}} summed over the pools), resident set size from {@code
 * /proc/<pid>/status}. A full GC first (through {@code jcmd <pid> GC.run}) makes the heap figure
 * the live data, which is what a leak would grow.
 */
final class MemoryProbe {
  /** One reading; -1 where a figure could not be had. */
  record Reading(long heapBytes, long rssBytes, boolean afterGc) {}

  private final HttpClient http;
  private final Path jcmd;

  MemoryProbe(HttpClient http) {
    this.http = http;
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
  }

  Reading read(int healthPort, long pid) throws InterruptedException {
    boolean gc = fullGc(pid);
    return new Reading(heap(healthPort), rss(pid), gc);
  }

  private boolean fullGc(long pid) throws InterruptedException {
    if (!Files.isExecutable(jcmd)) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private long heap(int port) throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics/prometheus"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long sum = 0;
      boolean found = false;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          String value = line.substring(line.lastIndexOf(' ') + 1);
          sum += (long) Double.parseDouble(value);
          found = true;
        }
      }
      return found ? sum : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
