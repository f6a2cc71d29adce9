package dev.gollm.processor.testing;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.Processor;
import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A devstack manager and Ollama simulator on loopback ports, and processors started against them
 * over real HTTP, all closed together.
 */
public final class TestStack implements AutoCloseable {
  public final ManagerServer manager;
  public final OllamaSimulator ollama;
  private final List<Processor> processors = new ArrayList<>();
  private final List<ProcessorMetrics> metrics = new ArrayList<>();
  private final List<Reachability> reachabilities = new ArrayList<>();

  public TestStack(ManagerOptions.Builder managerOptions, OllamaSimulator.Options ollamaOptions) {
    this.manager = ManagerServer.start(managerOptions.relaxSseClamps(true).build());
    this.ollama = new OllamaSimulator(ollamaOptions).start();
  }

  public TestStack(OllamaSimulator.Options ollamaOptions) {
    this(ManagerOptions.builder(), ollamaOptions);
  }

  public TestStack() {
    this(OllamaSimulator.Options.defaults());
  }

  /** A configuration pointing at this stack. */
  public TestConfig config() {
    return new TestConfig(manager.baseUri(), URI.create(ollama.baseUrl()));
  }

  /** Starts a processor in this JVM with the configuration as adjusted by {@code adjust}. */
  public Processor startProcessor(Consumer<TestConfig> adjust) {
    TestConfig c = config();
    adjust.accept(c);
    ProcessorConfig config = c.build();
    ProcessorMetrics m = new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    Reachability r = new Reachability(Clock.systemUTC(), Duration.ofMinutes(1));
    Processor p = new Processor(config, m, r);
    processors.add(p);
    metrics.add(m);
    reachabilities.add(r);
    return p.start();
  }

  /**
   * POSTs a JSON body to one of the manager's internal endpoints as another processor would, and
   * returns the answer's body.
   */
  public String postToManager(String endpoint, String json) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(manager.baseUrl() + "/api/internal/" + endpoint))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + manager.apiKey())
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The metrics of the n-th processor started. */
  public ProcessorMetrics metrics(int n) {
    return metrics.get(n);
  }

  /** What the n-th processor started knows of its dependencies (its readiness). */
  public Reachability reachability(int n) {
    return reachabilities.get(n);
  }

  @Override
  public void close() {
    processors.forEach(Processor::close);
    ollama.close();
    manager.close();
  }
}
