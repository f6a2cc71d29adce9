package dev.gollm.devstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code devstack dev} refuses what it cannot run before starting anything. (Running the stack
 * itself needs the processor, so that test is in the processor module: DevCommandTest.)
 */
class DevCommandArgumentsTest {
  @TempDir Path dataDir;

  private static final ProcessorLauncher NEVER =
      (env, flags, output) -> {
        throw new AssertionError("the processor must not be started");
      };

  private record Run(int status, String out, String err) {}

  private Run dev(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        new CommandLine(new DevCommand(Map.of(), new CompletableFuture<>(), NEVER));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int status = command.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void aManagerPortInUseIsSaidWithTheFlagToChangeIt() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();

      Run run =
          dev(
              "--manager-port",
              Integer.toString(port),
              "--health-port",
              "0",
              "--data-dir",
              dataDir.toString(),
              "--simulator");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.err())
          .contains("error: port " + port + " is in use; pass --manager-port PORT")
          .contains("MANAGER_PORT");
    }
  }

  @Test
  void aHealthPortInUseIsSaidWithTheFlagToChangeIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      Run run = dev("--manager-port", "0", "--health-port", Integer.toString(port), "--simulator");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.err()).contains("error: port " + port + " is in use; pass --health-port PORT");
    }
  }

  @Test
  void badNumbersAreUsageErrors() {
    assertThat(dev("--tasks", "0").err())
        .contains("--tasks: 0 is invalid; expected a whole number of at least 1");
    assertThat(dev("--manager-port", "70000").status()).isEqualTo(2);
    assertThat(dev("--sim-tokens", "many").err()).contains("--sim-tokens: token count 'many'");
  }

  @Test
  void backendsAndApiAreChecked() {
    assertThat(dev("--backends", "0").err()).contains("--backends: 0 is invalid; expected 1 to 16");
    assertThat(dev("--api", "grpc").err())
        .contains("--api: grpc is invalid; expected ollama or openai");
  }
}
