package dev.gollm.processor.deploy;

import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.testing.ClassPathProcessor;
import dev.gollm.processor.testing.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The alert rules and the Grafana dashboard under deploy/, checked by Prometheus' own promtool:
 * rule syntax, one unit test per alert, the dashboard's queries as PromQL, and a real scrape of a
 * running processor's metrics, which must hold every metric the rules and the dashboard read.
 * promtool comes from Debian's prometheus package; {@code make test} installs it when missing.
 */
@Timeout(240)
class MonitoringTest {
  private static final Path RULES = RepositoryFiles.file("deploy/prometheus/processor-alerts.yml");
  private static final Path RULE_TESTS =
      RepositoryFiles.file("deploy/prometheus/processor-alerts.test.yml");
  private static final Path DASHBOARD =
      RepositoryFiles.file("deploy/grafana/processor-dashboard.json");

  /**
   * What {@code promtool check metrics} says of meters that Micrometer's JVM binders name; they are
   * not the processor's own. Any other finding fails the test, and so does one of these going away.
   */
  private static final Set<String> MICROMETER_FINDINGS =
      Set.of(
          "process_cpu_time_ns_total metric names should not contain abbreviated units",
          "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  /**
   * Meters Micrometer registers at an event a short run may not see: the GC pause timer at the
   * first garbage collection.
   */
  private static final Set<String> REGISTERED_LATER = Set.of("jvm_gc_pause_seconds_sum");

  /** Metric names in PromQL: the processor's own and the JVM's (Prometheus' {@code up} aside). */
  private static final Pattern METRIC = Pattern.compile("\\b(?:processor|jvm|process)_[a-z_]+\\b");

  @TempDir static Path dir;
  private static Path promtool;
  private static String scrape;

  @BeforeAll
  static void findPromtoolAndScrapeARunningProcessor() throws Exception {
    promtool =
        Command.onPath("promtool")
            .orElseThrow(
                () ->
                    new AssertionError(
                        "promtool is not installed, so the alert rules and the dashboard cannot be"
                            + " checked: `make promtool` installs it (Debian's prometheus package),"
                            + " or run `sudo apt-get install prometheus`"));
    try (TestStack stack = new TestStack();
        HttpClient http = HttpClient.newHttpClient()) {
      List<String> ids = stack.manager.submitMany("monitoring", 3);
      try (ProcessorProcess processor =
          ProcessorProcess.start(
              "monitoring",
              ClassPathProcessor.program().inDirectory(dir),
              stack.config().environment(),
              List.of(),
              ClassPathProcessor.toTestLog("monitoring"))) {
        int port = processor.awaitHealthPort(Duration.ofSeconds(60));
        awaitCompleted(stack, ids);
        // The text format, which promtool reads; Prometheus itself would ask for OpenMetrics.
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics/prometheus"))
                    .header("Accept", "text/plain;version=0.0.4")
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        scrape = response.body();
        assertThat(processor.terminate(Duration.ofSeconds(60))).isZero();
      }
    }
  }

  @Test
  void theAlertRulesPassPromtoolCheckRules() throws Exception {
    Command check = promtool("check", "rules", RULES.toString());

    assertThat(check.status()).as(check.stdout() + check.stderr()).isZero();
  }

  @Test
  void everyAlertHasAUnitTestAndAllOfThemPass() throws Exception {
    Set<String> alerts = new TreeSet<>();
    new YAMLMapper()
        .readTree(RULES.toFile())
        .at("/groups")
        .forEach(group -> group.path("rules").forEach(r -> alerts.add(r.path("alert").asString())));
    Set<String> tested = new TreeSet<>();
    new YAMLMapper()
        .readTree(RULE_TESTS.toFile())
        .path("tests")
        .forEach(
            t ->
                t.path("alert_rule_test").forEach(a -> tested.add(a.path("alertname").asString())));

    assertThat(alerts).isNotEmpty();
    assertThat(tested).as("alerts with a test in %s", RULE_TESTS).isEqualTo(alerts);
    Command test = promtool("test", "rules", RULE_TESTS.toString());
    assertThat(test.status()).as(test.stdout() + test.stderr()).isZero();
  }

  @Test
  void theDashboardsQueriesAreValidPromQL() throws Exception {
    // promtool checks PromQL in rule files, so each query becomes a recording rule, with Grafana's
    // variables replaced by what Grafana would put there.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<String> queries = dashboardQueries();
    for (int i = 0; i < queries.size(); i++) {
      String query =
          queries
              .get(i)
              .replace("$__rate_interval", "1m")
              .replace("$instance", ".*")
              .replace("\\", "\\\\")
              .replace("\"", "\\\"");
      rules.append("      - record: dashboard:query_").append(i).append('\n');
      rules.append("        expr: \"").append(query).append("\"\n");
    }
    Path file = dir.resolve("dashboard-queries.yml");
    Files.writeString(file, rules);

    assertThat(queries).hasSizeGreaterThan(10);
    Command check = promtool("check", "rules", file.toString());
    assertThat(check.status()).as(check.stdout() + check.stderr()).isZero();
  }

  @Test
  void theDashboardsPanelsHaveUniqueIdsAndReadTheChosenDataSource() throws Exception {
    JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt()))
          .as("panel id %s unique", panel.path("id"))
          .isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isPositive();
      if (!panel.path("type").asString().equals("row")) {
        assertThat(panel.at("/datasource/uid").asString())
            .as("data source of %s", panel.path("title"))
            .isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty();
      }
    }
  }

  @Test
  void aRealScrapeHasNoPromtoolFindingsBeyondMicrometersJvmMeterNames() throws Exception {
    Path file = dir.resolve("scrape.txt");
    Files.writeString(file, scrape);

    Command check =
        Command.run(
            List.of(
                "sh",
                "-c",
                "exec \"$0\" check metrics < \"$1\"",
                promtool.toString(),
                file.toString()),
            Map.of("PATH", "/usr/bin:/bin"),
            dir,
            60);

    // promtool exits 3 for lint findings and 1 when it cannot parse the scrape.
    assertThat(check.status()).as(check.stderr()).isIn(0, 3);
    Set<String> findings = new TreeSet<>();
    (check.stdout() + check.stderr())
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .forEach(findings::add);
    assertThat(findings).isEqualTo(MICROMETER_FINDINGS);
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardReadIsInARealScrape() throws Exception {
    Set<String> scraped = new HashSet<>();
    scrape
        .lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .forEach(line -> scraped.add(line.split("[{ ]", 2)[0]));
    Set<String> used = new TreeSet<>();
    List<String> queries = new ArrayList<>(dashboardQueries());
    new YAMLMapper()
        .readTree(RULES.toFile())
        .at("/groups")
        .forEach(group -> group.path("rules").forEach(r -> queries.add(r.path("expr").asString())));
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      while (m.find()) {
        used.add(m.group());
      }
    }

    assertThat(used)
        .contains(
            "processor_leases_lost_total",
            "processor_claims_total",
            "processor_dependency_up",
            "processor_reports_pending",
            "jvm_memory_used_bytes");
    used.removeAll(REGISTERED_LATER);
    assertThat(scraped).containsAll(used);
  }

  private static List<String> dashboardQueries() throws Exception {
    List<String> queries = new ArrayList<>();
    JsonMapper.builder()
        .build()
        .readTree(DASHBOARD.toFile())
        .path("panels")
        .forEach(
            panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asString())));
    return queries;
  }

  private static Command promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    return Command.run(command, Map.of("PATH", "/usr/bin:/bin"), dir, 60);
  }
}
