package dev.gollm.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: `processor` started as a child JVM with an almost empty environment serves its
 * endpoints and, on SIGTERM, stops in order and exits 0.
 */
class ProcessLifecycleTest {
  /** Generous bounds for a loaded machine; they only stop a hung test, they time nothing. */
  private static final long STARTUP_LIMIT_SECONDS = 120;

  private static final Pattern LISTENING =
      Pattern.compile("health server listening on 127\\.0\\.0\\.1:(\\d+)");

  /** Marks the end of the child's output in the line queue. */
  private static final String END = "\u0000end";

  @TempDir Path workingDirectory;

  private Process process;
  private final List<String> output = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void cleanUp() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    client.close();
  }

  private Process startProcessor(String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HEALTH_ADDR", "127.0.0.1:0");
    builder.redirectErrorStream(true);
    return builder.start();
  }

  /** Reads the child's output on a virtual thread, handing each line over, then END. */
  private BlockingQueue<String> lines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output failed: " + e + ")");
              } finally {
                lines.add(END);
              }
            });
    return lines;
  }

  /** Collects the rest of the output, up to its end. */
  private void awaitEnd(BlockingQueue<String> lines) throws InterruptedException {
    for (String line = lines.poll(STARTUP_LIMIT_SECONDS, TimeUnit.SECONDS);
        line != null && !line.equals(END);
        line = lines.poll(STARTUP_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      output.add(line);
    }
  }

  private int awaitPort(BlockingQueue<String> lines) throws InterruptedException {
    while (true) {
      String line = lines.poll(STARTUP_LIMIT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("the processor did not report its port; output: " + output);
      }
      output.add(line);
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesEndpointsAndExitsZeroOnSigterm() throws Exception {
    process = startProcessor();
    BlockingQueue<String> lines = lines(process);
    int port = awaitPort(lines);

    assertThat(get(port, "/health").statusCode()).isEqualTo(200);
    assertThat(get(port, "/ready").statusCode()).isEqualTo(503);
    assertThat(get(port, "/metrics").body()).contains("\"tasks_processed\":0");

    // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the output readable.
    assertThat(process.toHandle().destroy()).isTrue();
    boolean exited = process.waitFor(STARTUP_LIMIT_SECONDS, TimeUnit.SECONDS);

    assertThat(exited).as("exited after SIGTERM").isTrue();
    assertThat(process.exitValue()).isZero();
    awaitEnd(lines);
    assertThat(output).anySatisfy(line -> assertThat(line).contains("processor stopped"));
  }
}
