package dev.gollm.processor.testing;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.Processor;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.function.UnaryOperator;

/**
 * A devstack manager and Ollama simulator on loopback ports, and processors started against them
 * over real HTTP, all closed together.
 */
public final class TestStack implements AutoCloseable {
  /** The manager now serving; {@link #restartManager} replaces it. */
  public volatile ManagerServer manager;

  public final OllamaSimulator ollama;
  private final List<Processor> processors = new ArrayList<>();
  private final List<CompleteCall> earlierCompleteCalls = new ArrayList<>();
  private final int managerPort;
  private boolean stopped;

  public TestStack(ManagerOptions.Builder managerOptions, OllamaSimulator.Options ollamaOptions) {
    this.manager = ManagerServer.start(managerOptions.relaxSseClamps(true).build());
    this.managerPort = manager.port();
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
    Processor p = new Processor(c.build(), c.policy(), Clock.systemUTC());
    processors.add(p);
    try {
      return p.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    return processors.get(n).metrics();
  }

  /** The meters of the n-th processor started (every meter, not only the snapshot's). */
  public MeterRegistry registry(int n) {
    return processors.get(n).registry();
  }

  /** What the n-th processor started knows about its dependencies' answers. */
  public Reachability reachability(int n) {
    return processors.get(n).reachability();
  }

  /**
   * Stops the manager (if it still runs) and starts a new one on the same port and database file
   * (the manager must have been started with a {@code database} path), with its options changed by
   * {@code change}; processors keep their address. Returns the new manager, also in {@link
   * #manager}.
   */
  public synchronized ManagerServer restartManager(UnaryOperator<ManagerOptions.Builder> change) {
    ManagerServer old = manager;
    if (old.options().database() == null) {
      throw new IllegalStateException("a restart needs a manager with a database file");
    }
    stopManager();
    // The JDK's server socket sets SO_REUSEADDR, so connections left in TIME_WAIT do not block the
    // port; only a socket that took the port in the moment between could (the start then fails).
    manager =
        ManagerServer.start(change.apply(old.options().toBuilder().port(managerPort)).build());
    stopped = false;
    return manager;
  }

  /** Stops the manager: processors find nobody at its address until {@link #restartManager}. */
  public synchronized void stopManager() {
    if (!stopped) {
      // Closed first: close waits for the requests in flight, so a complete the manager accepts
      // while it stops is in the list too.
      manager.close();
      earlierCompleteCalls.addAll(manager.completeCalls());
      stopped = true;
    }
  }

  /** Every complete call of every manager this stack ran, in arrival order. */
  public synchronized List<CompleteCall> completeCalls() {
    List<CompleteCall> all = new ArrayList<>(earlierCompleteCalls);
    if (!stopped) {
      all.addAll(manager.completeCalls());
    }
    return all;
  }

  @Override
  public void close() {
    processors.forEach(Processor::close);
    ollama.close();
    manager.close();
  }
}
