package dev.gollm.devstack.httpbench;

import dev.gollm.devstack.process.ProcessorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link ClientRunner} as its own JVM with the processor's JVM flags ({@code
 * processor.jvmopts}) and this JVM's class path (devstack's jar holds the three clients), and
 * collects what it reports.
 */
final class ChildJvm {
  private static final int QUOTED_LINES = 20;

  private final Path jvmOptions;
  private final Duration timeout;

  ChildJvm(Path jvmOptions, Duration timeout) {
    this.jvmOptions = jvmOptions;
    this.timeout = timeout;
  }

  /**
   * Runs one client's measurement to its end, with {@code extraJvmFlags} after the processor's.
   *
   * @throws HttpBenchException when the child fails, reports an error or outlives the timeout
   */
  ClientRun run(RunSettings settings, List<String> extraJvmFlags) throws InterruptedException {
    ProcessorProcess.Program program =
        new ProcessorProcess.Program(
            jvmOptions,
            List.of("-cp", System.getProperty("java.class.path"), ClientRunner.class.getName()),
            settings.toArguments(),
            null);
    try (ProcessorProcess child =
        ProcessorProcess.start(
            "http-clients-" + settings.client().id(),
            program,
            Map.of(),
            extraJvmFlags,
            line -> {})) {
      String client = settings.client().label() + ": ";
      int status = child.awaitExit(timeout);
      if (status < 0) {
        throw new HttpBenchException(
            client
                + "the child JVM did not finish within "
                + timeout
                + "; its last lines: "
                + last(child));
      }
      ClientRun run;
      try {
        run = ClientRun.parse(child.output());
      } catch (HttpBenchException e) {
        throw new HttpBenchException(
            client
                + e.getMessage()
                + " (exit status "
                + status
                + "; its last lines: "
                + last(child)
                + ")");
      }
      if (status != 0) {
        throw new HttpBenchException(
            client
                + "the child JVM exited with status "
                + status
                + "; its last lines: "
                + last(child));
      }
      return run;
    }
  }

  private static String last(ProcessorProcess child) {
    return String.join(" | ", child.lastLines(QUOTED_LINES));
  }
}
