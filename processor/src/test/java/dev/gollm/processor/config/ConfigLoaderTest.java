package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  /** The seed README's table, verbatim (PROCESSOR_ID is random and checked separately). */
  private static final Map<String, String> SEED_DEFAULTS = seedDefaults();

  private static Map<String, String> seedDefaults() {
    Map<String, String> seed = new LinkedHashMap<>();
    seed.put("OLLAMA_URL", "http://ollama:11434");
    seed.put("WORKER_URL", "http://wrangler:8080");
    seed.put("HEALTH_ADDR", ":8081");
    seed.put("POLL_INTERVAL", "5s");
    seed.put("POLLING_ENABLED", "true");
    seed.put("MAX_RETRIES", "3");
    seed.put("REQUEST_TIMEOUT", "30s");
    seed.put("MODEL_NAME", "gemma2:1b");
    seed.put("WORKER_COUNT", "3");
    seed.put("QUEUE_SIZE", "100");
    seed.put("PROCESSOR_ID", null);
    seed.put("HEARTBEAT_INTERVAL", "15s");
    seed.put("MAX_BATCH_SIZE", "5");
    seed.put("INTERNAL_API_KEY", "dev-internal-key");
    seed.put("WORK_STEALING_ENABLED", "true");
    seed.put("WORK_STEALING_INTERVAL", "120s");
    seed.put("WORK_STEALING_MAX_COUNT", "2");
    seed.put("WORK_STEALING_MIN_CAPACITY", "0.3");
    seed.put("SSE_ENABLED", "true");
    seed.put("SSE_ENDPOINT", "/api/internal/task-stream");
    seed.put("SSE_RECONNECT_INTERVAL", "5s");
    seed.put("SSE_MAX_RECONNECT_ATTEMPTS", "10");
    seed.put("SSE_HEARTBEAT_TIMEOUT", "60s");
    seed.put("SSE_HEARTBEAT_INTERVAL", "30s");
    seed.put("SSE_MAX_DURATION", "1h");
    return seed;
  }

  private static LoadedConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.environmentOnly(env).load();
  }

  private static Map<String, Setting> byName(LoadedConfig loaded) {
    return loaded.settings().stream()
        .collect(Collectors.toMap(Setting::name, s -> s, (a, b) -> a, LinkedHashMap::new));
  }

  private static List<String> problemSubjects(ConfigException e) {
    return e.problems().stream().map(ConfigProblem::subject).toList();
  }

  @Test
  void defaultsAreTheSeedTable() throws Exception {
    Map<String, Setting> settings = byName(load(Map.of()));

    assertThat(settings.keySet()).startsWith(SEED_DEFAULTS.keySet().toArray(String[]::new));
    SEED_DEFAULTS.forEach(
        (name, value) -> {
          assertThat(settings.get(name).source()).as(name).isEqualTo(ConfigSource.DEFAULT);
          if (value != null && !name.equals("INTERNAL_API_KEY")) {
            assertThat(settings.get(name).value()).as(name).isEqualTo(value);
          }
        });
  }

  @Test
  void defaultsBecomeTypedValues() throws Exception {
    ProcessorConfig config = load(Map.of()).config();

    assertThat(config.ollamaUrl()).isEqualTo(URI.create("http://ollama:11434"));
    assertThat(config.workerUrl()).isEqualTo(URI.create("http://wrangler:8080"));
    assertThat(config.healthAddr()).isEqualTo(new ListenAddress("", 8081));
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.pollingEnabled()).isTrue();
    assertThat(config.maxRetries()).isEqualTo(3);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.modelName()).isEqualTo("gemma2:1b");
    assertThat(config.workerCount()).isEqualTo(3);
    assertThat(config.queueSize()).isEqualTo(100);
    assertThat(config.processorId()).matches("proc-[0-9a-f]{8}");
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.maxBatchSize()).isEqualTo(5);
    assertThat(config.internalApiKey().value()).isEqualTo("dev-internal-key");
    assertThat(config.workStealingEnabled()).isTrue();
    assertThat(config.workStealingInterval()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.workStealingMaxCount()).isEqualTo(2);
    assertThat(config.workStealingMinCapacity()).isEqualTo(0.3);
    assertThat(config.sseEnabled()).isTrue();
    assertThat(config.sseEndpoint()).isEqualTo("/api/internal/task-stream");
    assertThat(config.sseReconnectInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.sseMaxReconnectAttempts()).isEqualTo(10);
    assertThat(config.sseHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.sseHeartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.sseMaxDuration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void ourAdditionsHaveTheirDocumentedDefaults() throws Exception {
    ProcessorConfig config = load(Map.of()).config();

    assertThat(config.prefetch()).isEqualTo(3);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cleanupInterval()).isEqualTo(Duration.ofSeconds(50));
    assertThat(config.safetyPollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.pullTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.managerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.logLevel()).isEqualTo("info");
  }

  @Test
  void derivedDefaultsFollowWhatTheyDeriveFrom() throws Exception {
    LoadedConfig loaded = load(Map.of("WORKER_COUNT", "8", "POLL_INTERVAL", "1m30s"));

    assertThat(loaded.config().prefetch()).isEqualTo(8);
    assertThat(loaded.config().cleanupInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(byName(loaded).get("CLEANUP_INTERVAL"))
        .isEqualTo(new Setting("CLEANUP_INTERVAL", "15m", ConfigSource.DEFAULT));
  }

  @Test
  void zeroTurnsTheCleanupTriggerOff() throws Exception {
    assertThat(load(Map.of("CLEANUP_INTERVAL", "0")).config().cleanupInterval()).isZero();
  }

  @Test
  void processorIdDefaultComesFromTheGivenRandomSource(@TempDir Path dir) throws Exception {
    String first =
        new ConfigLoader(Map.of(), dir, new SplittableRandom(7)).load().config().processorId();
    String second =
        new ConfigLoader(Map.of(), dir, new SplittableRandom(7)).load().config().processorId();

    assertThat(first).matches("proc-[0-9a-f]{8}").isEqualTo(second);
  }

  @Test
  void environmentBeatsConfigFileBeatsDotEnvBeatsDefault(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".env"), "MODEL_NAME=from-dotenv\nQUEUE_SIZE=7\nMAX_RETRIES=4\n");
    Path file =
        Files.writeString(dir.resolve("processor.conf"), "MODEL_NAME=from-file\nQUEUE_SIZE=9\n");
    Map<String, String> env = Map.of("MODEL_NAME", "from-env");

    LoadedConfig loaded = new ConfigLoader(env, dir, new SplittableRandom(1)).load(file);
    Map<String, Setting> settings = byName(loaded);

    assertThat(settings.get("MODEL_NAME"))
        .isEqualTo(new Setting("MODEL_NAME", "from-env", ConfigSource.ENV));
    assertThat(settings.get("QUEUE_SIZE"))
        .isEqualTo(new Setting("QUEUE_SIZE", "9", ConfigSource.FILE));
    assertThat(settings.get("MAX_RETRIES"))
        .isEqualTo(new Setting("MAX_RETRIES", "4", ConfigSource.FILE));
    assertThat(settings.get("WORKER_COUNT"))
        .isEqualTo(new Setting("WORKER_COUNT", "3", ConfigSource.DEFAULT));
    assertThat(loaded.config().queueSize()).isEqualTo(9);
    assertThat(loaded.config().maxRetries()).isEqualTo(4);
  }

  @Test
  void dotEnvIsOptional(@TempDir Path dir) throws Exception {
    assertThat(
            new ConfigLoader(Map.of(), dir, new SplittableRandom(1)).load().config().workerCount())
        .isEqualTo(3);
  }

  @Test
  void dotEnvMayHoldOtherToolsVariables(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".env"), "COMPOSE_PROJECT_NAME=llm\nWORKER_COUNT=5\n");

    assertThat(
            new ConfigLoader(Map.of(), dir, new SplittableRandom(1)).load().config().workerCount())
        .isEqualTo(5);
  }

  @Test
  void unknownKeyInConfigFileIsAnError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("p.conf"), "WORKER_COUNT=2\nWORKERS=4\n");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new ConfigLoader(Map.of(), dir, new SplittableRandom(1)).load(file));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "WORKERS: unknown variable (in --config "
                + file
                + " line 2); expected one of the processor's variables (see `processor config"
                + " --markdown`)");
  }

  @Test
  void reportsEveryProblemTogetherNamingVariableValueAndExpectation(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("p.conf"), "NOT_A_VARIABLE=1\n");
    Map<String, String> env =
        Map.of(
            "POLL_INTERVAL", "5",
            "WORKER_COUNT", "0",
            "WORK_STEALING_MIN_CAPACITY", "1.5",
            "OLLAMA_URL", "http://bad host");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new ConfigLoader(env, dir, new SplittableRandom(1)).load(file));

    assertThat(problemSubjects(e))
        .containsExactlyInAnyOrder(
            "NOT_A_VARIABLE",
            "OLLAMA_URL",
            "POLL_INTERVAL",
            "WORKER_COUNT",
            "WORK_STEALING_MIN_CAPACITY");
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .contains(
            "POLL_INTERVAL: \"5\" (from the environment) is invalid; expected a duration with a"
                + " unit, such as 300ms, 1.5s, 5s, 1m30s or 1h",
            "WORKER_COUNT: \"0\" (from the environment) is invalid; expected a whole number of at"
                + " least 1",
            "WORK_STEALING_MIN_CAPACITY: \"1.5\" (from the environment) is invalid; expected a"
                + " number from 0 to 1, such as 0.3");
    assertThat(e.problems().stream().filter(p -> p.subject().equals("OLLAMA_URL")).findFirst())
        .hasValueSatisfying(
            p ->
                assertThat(p.detail())
                    .startsWith("\"http://bad host\"")
                    .contains("expected an absolute"));
  }

  @Test
  void problemInAFileNamesFileAndLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("p.conf"), "# settings\nREQUEST_TIMEOUT=soon\n");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new ConfigLoader(Map.of(), dir, new SplittableRandom(1)).load(file));

    assertThat(e.problems().getFirst().toString())
        .startsWith("REQUEST_TIMEOUT: \"soon\" (from " + file + " line 2) is invalid; expected");
  }

  @Test
  void theSecretIsMaskedInProblemsAndSettings() throws Exception {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("INTERNAL_API_KEY", "s3cret value")));
    LoadedConfig loaded = load(Map.of("INTERNAL_API_KEY", "s3cret"));

    assertThat(e.getMessage()).doesNotContain("s3cret").contains("INTERNAL_API_KEY: \"****\"");
    assertThat(byName(loaded).get("INTERNAL_API_KEY"))
        .isEqualTo(new Setting("INTERNAL_API_KEY", "****", ConfigSource.ENV));
    assertThat(loaded.config().internalApiKey().value()).isEqualTo("s3cret");
    assertThat(loaded.config().toString()).doesNotContain("s3cret");
  }

  @Test
  void anEmptyValueIsAnErrorThatSaysUnsettingTheVariableGivesTheDefault() {
    assertThatThrownBy(() -> load(Map.of("WORKER_COUNT", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "WORKER_COUNT: the value is empty (from the environment); unset WORKER_COUNT to get the"
                + " default (3), or give a whole number of at least 1");
  }

  @Test
  void everyVariableSaysSoWhenItsValueIsEmpty() {
    for (Variable<?> variable : ConfigVariables.ALL) {
      if (emptyByDefault(variable)) {
        continue; // empty is its default, so an empty value asks for exactly that
      }
      String name = variable.name();
      assertThatThrownBy(() -> load(Map.of(name, "")))
          .as(name)
          .hasMessageStartingWith(
              name + ": the value is empty (from the environment); unset " + name)
          .hasMessageContaining(" to get the default (");
    }
  }

  @Test
  void aVariableWhoseDefaultIsEmptyTakesAnEmptyValue() {
    List<Variable<?>> emptyByDefault =
        ConfigVariables.ALL.stream().filter(ConfigLoaderTest::emptyByDefault).toList();
    assertThat(emptyByDefault).isNotEmpty();
    for (Variable<?> variable : emptyByDefault) {
      assertThatCode(() -> load(Map.of(variable.name(), "")))
          .as(variable.name())
          .doesNotThrowAnyException();
    }
  }

  private static boolean emptyByDefault(Variable<?> variable) {
    return variable.defaultValue() instanceof DefaultValue.Literal<?> literal
        && literal.text().isEmpty();
  }

  @Test
  void anEmptyDerivedDefaultIsDescribed() {
    assertThatThrownBy(() -> load(Map.of("PREFETCH", "")))
        .hasMessageContaining("unset PREFETCH to get the default (same as WORKER_COUNT), or give");
  }

  @Test
  void aBlankValueIsShownAndTreatedAsEmpty() {
    assertThatThrownBy(() -> load(Map.of("POLL_INTERVAL", "  ")))
        .hasMessageStartingWith(
            "POLL_INTERVAL: the value \"  \" is blank (from the environment); unset POLL_INTERVAL"
                + " to get the default (5s), or give a duration");
  }

  @Test
  void anEmptyAliasNamesTheAliasToUnset() {
    assertThatThrownBy(() -> load(Map.of("OLLAMA_HOST", "")))
        .hasMessageStartingWith(
            "OLLAMA_URL: the value is empty (from the environment, given as OLLAMA_HOST); unset"
                + " OLLAMA_HOST to get the default (http://ollama:11434)");
  }

  @Test
  void anEmptyValueInAFileSaysToDeleteItsLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("p.conf"), "# settings\nMAX_RETRIES=\n");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new ConfigLoader(Map.of(), dir, new SplittableRandom(1)).load(file));

    assertThat(e.problems().getFirst().toString())
        .isEqualTo(
            "MAX_RETRIES: the value is empty (from "
                + file
                + " line 2); delete that line to get the default (3), or give a whole number of"
                + " at least 1");
  }

  @Test
  void ollamaHostIsAnAliasOfOllamaUrl() throws Exception {
    LoadedConfig loaded = load(Map.of("OLLAMA_HOST", "http://gpu-box:11434"));

    assertThat(loaded.config().ollamaUrl()).isEqualTo(URI.create("http://gpu-box:11434"));
    assertThat(byName(loaded).get("OLLAMA_URL"))
        .isEqualTo(new Setting("OLLAMA_URL", "http://gpu-box:11434", ConfigSource.ENV));
  }

  @Test
  void ollamaUrlWinsOverOllamaHost() throws Exception {
    ProcessorConfig config =
        load(Map.of("OLLAMA_URL", "http://a:1", "OLLAMA_HOST", "http://b:2")).config();

    assertThat(config.ollamaUrl()).isEqualTo(URI.create("http://a:1"));
  }

  @Test
  void aBareOllamaHostPortGetsHttp() throws Exception {
    assertThat(load(Map.of("OLLAMA_HOST", "127.0.0.1:11434")).config().ollamaUrl())
        .isEqualTo(URI.create("http://127.0.0.1:11434"));
  }

  @Test
  void aLoneOllamaHostGetsHttpAndOllamasPort() throws Exception {
    assertThat(load(Map.of("OLLAMA_HOST", "0.0.0.0")).config().ollamaUrl())
        .isEqualTo(URI.create("http://0.0.0.0:11434"));
  }

  @Test
  void aBadOllamaHostIsReportedUnderOllamaUrlNamingTheAlias() {
    assertThatThrownBy(() -> load(Map.of("OLLAMA_HOST", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "OLLAMA_URL: \"ftp://x\" (from the environment, given as OLLAMA_HOST) is invalid");
  }

  @Test
  void urlsLoseTrailingSlashesSoPathsCanBeAppended() throws Exception {
    assertThat(
            load(Map.of("WORKER_URL", "HTTPS://manager.example:8443/base/")).config().workerUrl())
        .isEqualTo(URI.create("https://manager.example:8443/base"));
  }

  @ParameterizedTest(name = "WORKER_URL={0} is rejected")
  @CsvSource({
    "manager:8080",
    "ftp://manager",
    "http://",
    "http://user:pw@manager",
    "http://manager?x=1",
    "http://manager:0",
    "http://under_score:8080",
    "/relative",
  })
  void rejectsUrlsTheProcessorCannotCall(String url) {
    assertThatThrownBy(() -> load(Map.of("WORKER_URL", url)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("WORKER_URL:");
  }

  @ParameterizedTest(name = "HEALTH_ADDR={0}")
  @CsvSource({
    ":8081, '', 8081",
    "127.0.0.1:0, 127.0.0.1, 0",
    "'[::1]:9000', ::1, 9000",
    "localhost:80, localhost, 80"
  })
  void readsListenAddresses(String text, String host, int port) throws Exception {
    assertThat(load(Map.of("HEALTH_ADDR", text)).config().healthAddr())
        .isEqualTo(new ListenAddress(host, port));
  }

  @ParameterizedTest(name = "HEALTH_ADDR={0} is rejected")
  @CsvSource({"8081", "host:", ":70000", ":http", "::1:80", "a b:80"})
  void rejectsMalformedListenAddresses(String text) {
    assertThatThrownBy(() -> load(Map.of("HEALTH_ADDR", text)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HEALTH_ADDR:");
  }

  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource({
    "SSE_ENDPOINT, api/stream",
    "POLLING_ENABLED, yes",
    "REQUEST_TIMEOUT, 0",
    "HEARTBEAT_INTERVAL, -5s",
    "QUEUE_SIZE, -1",
    "MAX_BATCH_SIZE, 2.5",
    "WORK_STEALING_MIN_CAPACITY, -0.1",
    "WORK_STEALING_MIN_CAPACITY, NaN",
    "PREFETCH, -1",
    "MODEL_NAME, two words",
    "LOG_FORMAT, xml",
    "LOG_LEVEL, verbose",
  })
  void rejectsBadValues(String variable, String value) {
    assertThatThrownBy(() -> load(Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ": \"" + value + "\"");
  }

  @Test
  void acceptsZeroWhereZeroMeansSomething() throws Exception {
    ProcessorConfig config = load(Map.of("PREFETCH", "0", "SHUTDOWN_GRACE", "0")).config();

    assertThat(config.prefetch()).isZero();
    assertThat(config.shutdownGrace()).isZero();
  }

  @Test
  void explicitValuesAreShownAsWritten() throws Exception {
    Map<String, Setting> settings =
        byName(load(Map.of("POLL_INTERVAL", "90s", "SSE_ENABLED", "T", "LOG_FORMAT", "JSON")));

    assertThat(settings.get("POLL_INTERVAL").value()).isEqualTo("90s");
    assertThat(settings.get("SSE_ENABLED").value()).isEqualTo("T");
    assertThat(settings.get("LOG_FORMAT").value()).isEqualTo("JSON");
  }
}
