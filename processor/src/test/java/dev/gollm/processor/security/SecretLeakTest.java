package dev.gollm.processor.security;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.awaitFinal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.Endpoint;
import dev.gollm.devstack.manager.EndpointFault;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Main;
import dev.gollm.processor.testing.ClassPathProcessor;
import dev.gollm.processor.testing.TestConfig;
import dev.gollm.processor.testing.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * INTERNAL_API_KEY (and LLM_API_KEY) never leave the processor except in the Authorization header:
 * not in its logs (at the most verbose level, through errors, 401s and retries), not in {@code
 * processor config}, not on /health, /ready or /metrics in either format.
 */
@Timeout(240)
class SecretLeakTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @TempDir Path dir;

  private final String key = "Zq7-leak-canary-" + UUID.randomUUID();
  private final String llmKey = "sk-leak-canary-" + UUID.randomUUID();

  private static HttpResponse<String> get(HttpClient http, int port, String path, String accept)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Command(int status, String output) {}

  /** {@code processor config} in this JVM; its standard output and error together. */
  private Command config(Map<String, String> env) {
    StringWriter out = new StringWriter();
    int status =
        Main.execute(
            new String[] {"config"},
            env,
            dir,
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    return new Command(status, out.toString());
  }

  private Map<String, String> environment(TestStack stack) {
    TestConfig c = stack.config();
    c.apiKey = key;
    c.processorId = "proc-canary";
    c.sseEnabled = true;
    c.workStealingEnabled = true;
    c.cleanupInterval = Duration.ofSeconds(1);
    Map<String, String> env = c.environment();
    env.put("LOG_LEVEL", "trace");
    env.put("LOG_FORMAT", "json");
    env.put("LLM_API_KEY", llmKey);
    return env;
  }

  @Test
  void theKeyAppearsInNoOutputOfAFullRunWithErrorsNorInConfigNorOnAnyEndpoint() throws Exception {
    try (TestStack stack =
            new TestStack(
                ManagerOptions.builder().apiKey(key).database(dir.resolve("manager.db")),
                OllamaSimulator.Options.builder().slots(2).build());
        HttpClient http = HttpClient.newHttpClient()) {
      List<String> ids = new ArrayList<>(stack.manager.submitMany("canary", 6));
      ids.add(
          stack
              .manager
              .submit(new NewTask("canary bad", 0, "{\"seed\":\"x\"}", 3, null))
              .getFirst());
      Map<String, String> env = environment(stack);
      List<String> seen = new ArrayList<>();

      try (ProcessorProcess child =
          ProcessorProcess.start(
              "canary",
              ClassPathProcessor.program().inDirectory(dir),
              env,
              List.of(),
              ClassPathProcessor.toTestLog("canary"))) {
        int port = child.awaitHealthPort(LIMIT);
        awaitFinal(stack, ids);

        // Errors on every path: manager 500s, Ollama 500s, then a key the manager rejects.
        stack.manager.faults().set(Endpoint.HEARTBEAT, EndpointFault.failing(500, 0.5));
        stack.ollama.faults().errorRate(0.5, 500);
        List<String> more = stack.manager.submitMany("canary faults", 4);
        awaitFinal(stack, more);
        stack.restartManager(b -> b.apiKey("another-key"));
        await()
            .atMost(PATIENCE)
            .until(() -> child.output().stream().anyMatch(l -> l.contains("401 unauthorized")));
        for (String[] request :
            new String[][] {
              {"/health", null},
              {"/ready", null},
              {"/metrics", null},
              {"/metrics", "text/plain"},
              {"/metrics", "application/openmetrics-text"},
              {"/metrics/prometheus", null}
            }) {
          HttpResponse<String> r = get(http, port, request[0], request[1]);
          seen.add(request[0] + " " + request[1] + ": " + r.body());
        }
        assertThat(seen)
            .as("the endpoints answered with what they show")
            .anySatisfy(s -> assertThat(s).startsWith("/health").contains("proc-canary"))
            .anySatisfy(s -> assertThat(s).startsWith("/metrics null").contains("tasks_processed"));
        stack.restartManager(b -> b.apiKey(key));

        assertThat(child.terminate(LIMIT)).isZero();
        assertThat(child.droppedLines()).as("every output line is searched").isZero();
        seen.addAll(child.output());
        assertThat(child.output())
            .as("a verbose run that logged its work")
            .anySatisfy(l -> assertThat(l).contains("\"level\":\"DEBUG\""))
            .anySatisfy(l -> assertThat(l).contains("generated"))
            .anySatisfy(l -> assertThat(l).contains("processor stopped"));
      }

      // `processor config` writes nothing but its answer: run in this JVM, it shows the same text.
      Command config = config(env);
      assertThat(config.status()).isZero();
      assertThat(config.output())
          .contains("\"INTERNAL_API_KEY\"")
          .contains("\"LLM_API_KEY\"")
          .contains("****");
      seen.add(config.output());
      Map<String, String> badKey = new HashMap<>(env);
      badKey.put("INTERNAL_API_KEY", key + " with a space");
      Command refused = config(badKey);
      assertThat(refused.status()).isEqualTo(Main.EXIT_BAD_CONFIG);
      assertThat(refused.output()).contains("INTERNAL_API_KEY");
      seen.add(refused.output());

      assertThat(seen)
          .isNotEmpty()
          .noneSatisfy(text -> assertThat(text).contains(key))
          .noneSatisfy(text -> assertThat(text).contains(llmKey));
      assertThat(stack.manager.count(TaskStatus.PROCESSING)).isZero();
      assertHolds(stack, ids);
    }
  }
}
