package dev.gollm.processor.testing;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.Processor;
import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    return new TestConfig(manager.baseUri(), java.net.URI.create(ollama.baseUrl()));
  }

  /** Starts a processor in this JVM with the configuration as adjusted by {@code adjust}. */
  public Processor startProcessor(Consumer<TestConfig> adjust) {
    TestConfig c = config();
    adjust.accept(c);
    ProcessorConfig config = c.build();
    ProcessorMetrics m = new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    Processor p =
        new Processor(config, m, new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)));
    processors.add(p);
    metrics.add(m);
    return p.start();
  }

  /** The metrics of the n-th processor started. */
  public ProcessorMetrics metrics(int n) {
    return metrics.get(n);
  }

  @Override
  public void close() {
    processors.forEach(Processor::close);
    ollama.close();
    manager.close();
  }
}
