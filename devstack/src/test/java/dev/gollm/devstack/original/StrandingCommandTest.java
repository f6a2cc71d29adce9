package dev.gollm.devstack.original;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code devstack stranding-processor} rejects bad settings before connecting anywhere. */
class StrandingCommandTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new StrandingCommand());
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void zeroWorkersIsABadSettingWithAClearMessage() {
    assertThat(run("--workers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("workers must be at least 1, got 0");
  }

  @Test
  void aZeroHeartbeatIntervalIsABadSetting() {
    assertThat(run("--heartbeat-interval", "0s")).isEqualTo(2);
    assertThat(err.toString()).contains("heartbeatInterval must be positive");
  }
}
