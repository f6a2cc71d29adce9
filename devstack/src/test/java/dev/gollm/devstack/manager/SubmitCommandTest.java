package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gollm.devstack.DevstackMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

  /** Runs {@code devstack submit ARGS} as bin/devstack does. */
  private Run submit(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = DevstackMain.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "submit";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = command.execute(all);
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
  void aBadParamsFieldIsOneLineNamingTheFieldAndWhatWasExpected() {
    Run run =
        submit(
            "--manager", manager.server().baseUrl(), "--params", "{\"temperature\":\"hot\"}", "x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            "error: --params: ollama_params: field temperature must be a number, got the string"
                + " \"hot\" (see devstack submit --help)");
    assertThat(manager.server().allTasks()).isEmpty();
  }

  @Test
  void aBadOptionValueIsOneLineWithoutTheUsage() {
    Run run = submit("--priority", "high", "x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("error: ")
        .contains("--priority")
        .contains("'high'");
  }

  @Test
  void aServerThatIsNotAManagerIsOneLineWithItsStatusContentTypeAndAnExcerpt() throws Exception {
    String page =
        "<!DOCTYPE html>\n<html><head><title>Not Found</title></head>\n<body>"
            + "<p>nothing here</p>\n".repeat(200)
            + "</body></html>\n";
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(404, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    web.start();
    try {
      String url = "http://127.0.0.1:" + web.getAddress().getPort();

      Run run = submit("--manager", url, "x");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().lines()).hasSize(1);
      assertThat(run.err())
          .startsWith(
              "error: "
                  + url
                  + "/api/internal/submit answered 404 (text/html; charset=utf-8), not a"
                  + " devstack manager's answer (the real manager has no submit): <!DOCTYPE html>"
                  + " <html><head><title>Not Found</title>")
          .contains("characters)")
          .hasSizeLessThan(400);
    } finally {
      web.stop(0);
    }
  }

  @Test
  void theHelpKeepsEachLineOfItsTextWholeAndUrlsAndExamplesOnOneLine() {
    Run run = submit("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .contains(
            "Creates tasks on a devstack manager (POST /api/internal/submit) and prints",
            "ollama_params, max_retries and user_id.")
        .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80))
        .anySatisfy(line -> assertThat(line).endsWith("Default: http://127.0.0.1:8080."))
        .anySatisfy(line -> assertThat(line).endsWith("e.g. '{\"model\":\"gemma3:1b\"}'."));
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
