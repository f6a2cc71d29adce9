package dev.gollm.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.config.ConfigReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line, run in-process against a given environment and working directory. */
class MainTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path workingDirectory;

  private record Result(int status, String out, String err) {}

  private Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.execute(args, env, workingDirectory, new PrintWriter(out), new PrintWriter(err));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void configPrintsOneJsonObjectWithValueAndSourceForEveryVariable() {
    Result result = run(Map.of("POLL_INTERVAL", "10s"), "config");

    assertThat(result.status()).isZero();
    JsonNode root = JSON.readTree(result.out());
    List<String> names = new ArrayList<>(root.propertyNames());
    assertThat(names).containsExactlyElementsOf(ConfigReference.variableNames());
    assertThat(names).hasSize(41);
    for (String name : names) {
      assertThat(root.get(name).propertyNames()).as(name).containsExactly("value", "source");
    }
    assertThat(root.get("POLL_INTERVAL").get("value").asString()).isEqualTo("10s");
    assertThat(root.get("POLL_INTERVAL").get("source").asString()).isEqualTo("env");
    assertThat(root.get("WORKER_COUNT").get("source").asString()).isEqualTo("default");
  }

  @Test
  void configMasksTheSecret() {
    Result result = run(Map.of("INTERNAL_API_KEY", "top-secret-key"), "config");

    assertThat(result.out()).doesNotContain("top-secret-key");
    JsonNode key = JSON.readTree(result.out()).get("INTERNAL_API_KEY");
    assertThat(key.get("value").asString()).isEqualTo("****");
    assertThat(key.get("source").asString()).isEqualTo("env");
  }

  @Test
  void configCountsDotEnvAndConfigFileAsFile() throws Exception {
    Files.writeString(workingDirectory.resolve(".env"), "QUEUE_SIZE=50\n");
    Path file = Files.writeString(workingDirectory.resolve("p.conf"), "MAX_RETRIES=5\n");

    JsonNode root = JSON.readTree(run(Map.of(), "config", "--config", file.toString()).out());

    assertThat(root.get("QUEUE_SIZE").get("source").asString()).isEqualTo("file");
    assertThat(root.get("MAX_RETRIES").get("value").asString()).isEqualTo("5");
    assertThat(root.get("MAX_RETRIES").get("source").asString()).isEqualTo("file");
  }

  @Test
  void configFileMayAlsoBeGivenBeforeTheSubcommand() throws Exception {
    Path file = Files.writeString(workingDirectory.resolve("p.conf"), "MAX_RETRIES=6\n");

    JsonNode root = JSON.readTree(run(Map.of(), "--config", file.toString(), "config").out());

    assertThat(root.get("MAX_RETRIES").get("value").asString()).isEqualTo("6");
  }

  @Test
  void badConfigurationExitsTwoWithOneLinePerProblem() {
    Result result =
        run(
            Map.of(
                "POLL_INTERVAL", "5",
                "WORKER_COUNT", "0",
                "WORK_STEALING_MIN_CAPACITY", "1.5",
                "OLLAMA_URL", "http://bad host"),
            "config");

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList())
        .hasSize(4)
        .anySatisfy(line -> assertThat(line).contains("POLL_INTERVAL", "\"5\"", "expected"))
        .anySatisfy(line -> assertThat(line).contains("WORKER_COUNT", "\"0\"", "expected"))
        .anySatisfy(
            line -> assertThat(line).contains("WORK_STEALING_MIN_CAPACITY", "\"1.5\"", "expected"))
        .anySatisfy(
            line -> assertThat(line).contains("OLLAMA_URL", "\"http://bad host\"", "expected"));
  }

  @Test
  void runRefusesABadConfigurationWithExitTwo() {
    Result result = run(Map.of("HEALTH_ADDR", "nowhere"), "run");

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).contains("HEALTH_ADDR: \"nowhere\"");
  }

  @Test
  void noCommandRunsTheServiceAndRefusesABadConfigurationWithExitTwo() {
    Result result = run(Map.of("HEALTH_ADDR", "nowhere"));

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).contains("HEALTH_ADDR: \"nowhere\"");
  }

  @Test
  void markdownListsEveryVariable() {
    Result result = run(Map.of(), "config", "--markdown");

    assertThat(result.status()).isZero();
    assertThat(result.out()).isEqualTo(ConfigReference.markdown());
    for (String name : ConfigReference.variableNames()) {
      assertThat(result.out()).contains("| `" + name + "` |");
    }
  }

  @Test
  void versionPrintsTheBuildVersion() {
    Result result = run(Map.of(), "--version");

    assertThat(result.status()).isZero();
    assertThat(result.out().strip()).isEqualTo("processor " + Version.current());
    assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void helpNamesTheSubcommands() {
    Result result = run(Map.of(), "--help");

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("run", "config", "--config=FILE", "--version");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitTwo() {
    Result result = run(Map.of(), "--bogus");

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).contains("--bogus");
  }
}
