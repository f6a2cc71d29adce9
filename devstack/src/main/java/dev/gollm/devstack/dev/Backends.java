package dev.gollm.devstack.dev;

import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.ollama.SimulatorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated LLM backends of {@code devstack dev --backends N}: backend i runs at 1/i of the
 * simulator's speed, so the router's spread is visible; their progress is one line, printed every
 * few seconds while work runs.
 */
final class Backends implements AutoCloseable {
  /** One running simulator and what it was started as. */
  record Backend(OllamaSimulator simulator, int slots, double tokensPerSecond) {}

  private final List<Backend> backends = new ArrayList<>();
  private ScheduledExecutorService ticker;
  private String lastShown = "";

  void add(Backend backend) {
    backends.add(backend);
  }

  List<Backend> all() {
    return List.copyOf(backends);
  }

  /** LLM_ENDPOINTS for the processor: each backend's URL with its slots as capacity. */
  String endpoints() {
    return String.join(
        ",", backends.stream().map(b -> b.simulator().baseUrl() + "*" + b.slots()).toList());
  }

  /** {@code backend 1: 12 answered, 2 running | backend 2: 7 answered, 1 running}. */
  String progress() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < backends.size(); i++) {
      SimulatorStats s = backends.get(i).simulator().stats();
      long running =
          backends.get(i).simulator().requests().stream()
              .filter(r -> r.outcome() == RequestRecord.Outcome.RUNNING)
              .count();
      parts.add(
          "backend "
              + (i + 1)
              + ": "
              + s.done()
              + " answered, "
              + running
              + " running"
              + (s.errors() + s.cancelled() > 0
                  ? ", " + (s.errors() + s.cancelled()) + " broken off"
                  : ""));
    }
    return String.join(" | ", parts);
  }

  /**
   * Prints {@link #progress()} on {@code display} every {@code seconds} from now on, when it
   * changed and there are several backends.
   */
  synchronized void reportEvery(int seconds, Display display) {
    if (ticker != null || backends.size() < 2) {
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dev-backends").daemon().factory());
    ticker.scheduleWithFixedDelay(() -> showIfChanged(display), seconds, seconds, TimeUnit.SECONDS);
  }

  private synchronized void showIfChanged(Display display) {
    String now = progress();
    if (!now.equals(lastShown)) {
      lastShown = now;
      display.line("  " + now);
    }
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    backends.forEach(b -> b.simulator().close());
    backends.clear();
  }
}
