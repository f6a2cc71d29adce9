package dev.gollm.devstack.ollama;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code devstack ollama}: runs the Ollama simulator until SIGINT or SIGTERM. */
@Command(
    name = "ollama",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a simulated Ollama API with a latency model, parallel slots, a queue bound and",
      "run-time faults (admin endpoints under /_sim). Runs until SIGINT or SIGTERM."
    })
public final class OllamaCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to bind; 0 picks one (default: ${DEFAULT-VALUE}).")
  int port = 11434;

  @Option(
      names = "--slots",
      description =
          "Requests served at once, like OLLAMA_NUM_PARALLEL (default: ${DEFAULT-VALUE}).")
  int slots = 1;

  @Option(
      names = "--queue",
      description = "Requests allowed to wait, like OLLAMA_MAX_QUEUE (default: ${DEFAULT-VALUE}).")
  int queue = 512;

  @Option(names = "--ttft", description = "Time to first token in ms (default: ${DEFAULT-VALUE}).")
  long ttftMs = 5;

  @Option(names = "--tps", description = "Tokens per second (default: ${DEFAULT-VALUE}).")
  double tokensPerSecond = 200;

  @Option(
      names = "--tokens",
      description = "Tokens per answer: N or MIN-MAX (default: ${DEFAULT-VALUE}).")
  String tokens = "12";

  @Option(
      names = "--load-ms",
      description =
          "Model load time in ms, on first use and after keep_alive expiry"
              + " (default: ${DEFAULT-VALUE}).")
  long loadMs = 10;

  @Option(
      names = "--num-ctx",
      description =
          "Context window in tokens of requests without options.num_ctx, like"
              + " OLLAMA_CONTEXT_LENGTH (default: ${DEFAULT-VALUE}).")
  int numCtx = ModelProfile.DEFAULT_NUM_CTX;

  @Option(
      names = "--models",
      split = ",",
      description = "Installed models (default: gemma2:1b,gemma3:1b,llama3.2:latest).")
  List<String> models = OllamaSimulator.Options.DEFAULT_MODELS;

  @Option(
      names = "--pullable",
      split = ",",
      description = "Further models /api/pull can fetch (default: qwen2.5:0.5b).")
  List<String> pullable = OllamaSimulator.Options.DEFAULT_PULLABLE;

  @Option(
      names = "--keep-alive",
      description = "Default keep_alive, e.g. 5m, 30s, -1 for ever (default: ${DEFAULT-VALUE}).")
  String keepAlive = "5m";

  @Option(
      names = "--pull-step-ms",
      description = "Pause before each pull progress line in ms (default: ${DEFAULT-VALUE}).")
  long pullStepMs = 5;

  @Option(
      names = "--api",
      description =
          "ollama: Ollama's API and its OpenAI-compatible /v1; openai: only /v1, nothing under"
              + " /api, as vLLM (default: ${DEFAULT-VALUE}).")
  String api = "ollama";

  @Option(names = "--api-key", description = "Require this Bearer key on /v1/* (default: none).")
  String apiKey;

  /** The simulator options the flags describe. */
  OllamaSimulator.Options options() {
    AnswerLength length = AnswerLength.parse(tokens);
    List<ModelProfile> profiles = models.stream().map(n -> profile(n, length)).toList();
    List<ModelProfile> extra = pullable.stream().map(n -> profile(n, length)).toList();
    return OllamaSimulator.Options.builder()
        .host(host)
        .port(port)
        .slots(slots)
        .queue(queue)
        .models(profiles)
        .pullable(extra)
        .keepAlive(KeepAlive.parse(keepAlive, "--keep-alive"))
        .pullStep(Duration.ofMillis(pullStepMs))
        .openAiOnly(openAiOnly())
        .apiKey(apiKey)
        .build();
  }

  private boolean openAiOnly() {
    return switch (api) {
      case "ollama" -> false;
      case "openai" -> true;
      default ->
          throw new IllegalArgumentException("--api is " + api + "; expected ollama or openai");
    };
  }

  private ModelProfile profile(String name, AnswerLength length) {
    return new ModelProfile(
        name,
        Duration.ofMillis(loadMs),
        Duration.ofMillis(ttftMs),
        tokensPerSecond,
        length,
        numCtx);
  }

  @Override
  public Integer call() throws InterruptedException {
    OllamaSimulator.Options opts;
    try {
      opts = options();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    OllamaSimulator simulator;
    try {
      simulator = new OllamaSimulator(opts).start();
    } catch (UncheckedIOException e) {
      System.err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      LOG.info("stopping the Ollama simulator");
                      simulator.close();
                      stopped.countDown();
                    }));
    LOG.info(
        "{} simulator listening on {} (slots {}, queue {}, models {}, ttft {} ms, {} tok/s,"
            + " {} tokens, load {} ms)",
        opts.openAiOnly() ? "OpenAI-compatible" : "Ollama",
        simulator.baseUrl(),
        opts.slots(),
        opts.queue(),
        simulator.modelNames(),
        ttftMs,
        tokensPerSecond,
        tokens,
        loadMs);
    stopped.await();
    return 0;
  }
}
