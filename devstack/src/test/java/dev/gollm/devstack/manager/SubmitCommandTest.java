package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code devstack submit} against a running manager, and the duration option format. */
class SubmitCommandTest {
  @RegisterExtension
  final ManagerExtension manager =
      new ManagerExtension(ManagerOptions.builder().apiKey("k").build());

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Run submit(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SubmitCommand());
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int code = command.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void textsBecomeTasksAndTheirIdsArePrinted() {
    Run run =
        submit(
            "--manager", manager.server().baseUrl(),
            "--api-key", "k",
            "--priority", "4",
            "--params", "{\"model\":\"gemma3:1b\",\"num_ctx\":1}",
            "hello", "world");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.lines()).hasSize(2);
    TaskRecord hello = manager.server().requireTask(run.lines().getFirst());
    assertThat(hello.productData()).isEqualTo("hello");
    assertThat(hello.priority()).isEqualTo(4);
    assertThat(hello.ollamaParams()).isEqualTo("{\"model\":\"gemma3:1b\"}");
    assertThat(new ManagerClient(manager.server()).get("/api/internal/tasks").body())
        .contains("\"product_data\":\"hello\"", "\"product_data\":\"world\"");
  }

  @Test
  void aFileMixesPlainAndJsonLines() throws Exception {
    Path file = dir.resolve("tasks.txt");
    Files.writeString(
        file, "plain text\n\n{\"product_data\":\"json\",\"priority\":7,\"user_id\":\"shop-1\"}\n");

    Run run =
        submit(
            "--manager",
            manager.server().baseUrl() + "/",
            "--api-key",
            "k",
            "--file",
            file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.lines()).hasSize(2);
    assertThat(manager.server().requireTask(run.lines().get(0)).productData())
        .isEqualTo("plain text");
    TaskRecord json = manager.server().requireTask(run.lines().get(1));
    assertThat(json.priority()).isEqualTo(7);
    assertThat(json.userId()).isEqualTo("shop-1");
  }

  @Test
  void aBadJsonLineIsReportedWithItsLineNumberAndNothingIsSent() throws Exception {
    Path file = dir.resolve("tasks.txt");
    Files.writeString(file, "ok\n{\"priority\":1}\n");

    Run run =
        submit(
            "--manager", manager.server().baseUrl(), "--api-key", "k", "--file", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("tasks.txt:2: product_data is required");
    assertThat(manager.server().allTasks()).isEmpty();
  }

  @Test
  void aWrongKeyFailsWithTheManagersAnswer() {
    Run run = submit("--manager", manager.server().baseUrl(), "--api-key", "nope", "x");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("answered 401").contains("Invalid or missing API key");
  }

  @Test
  void noTasksIsAUsageError() {
    Run run = submit("--manager", manager.server().baseUrl());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no tasks");
  }

  @Test
  void durationsTakeAUnitOrIsoForm() {
    assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DurationConverter.parse("5 minutes"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'5 minutes' is not a duration");
  }
}
