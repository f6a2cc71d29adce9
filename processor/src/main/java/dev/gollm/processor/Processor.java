package dev.gollm.processor;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.intake.Claimer;
import dev.gollm.processor.intake.sse.ManagerStreamEvent;
import dev.gollm.processor.intake.sse.SseSupervisor;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.route.LlmBackends;
import dev.gollm.processor.manager.ManagerClient;
import dev.gollm.processor.metrics.ProcessorMetrics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The processor's working parts built from a configuration: HTTP clients for the manager and
 * Ollama, and the {@link ProcessorService} pipeline over them. {@link #close()} shuts the pipeline
 * down in order and releases the clients.
 */
public final class Processor implements AutoCloseable {
  private final HttpClient managerHttp;
  private final HttpClient ollamaHttp;
  private final ScheduledExecutorService timers;
  private final ProcessorService service;
  private final SseSupervisor push;
  private boolean closed;

  public Processor(ProcessorConfig config, ProcessorMetrics metrics, Reachability reachability) {
    managerHttp = httpClient(config.managerTimeout());
    ollamaHttp = httpClient(Duration.ofSeconds(10));
    timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("timers").daemon().factory());
    ManagerClient manager =
        new ManagerClient(
            managerHttp,
            config.workerUrl(),
            config.internalApiKey().value(),
            config.processorId(),
            config.managerTimeout(),
            reachability);
    LlmClient llm =
        LlmBackends.create(config, ollamaHttp, timers, reachability, metrics, Clock.systemUTC());
    service = new ProcessorService(config, manager, llm, metrics, new SplittableRandom());
    push =
        config.sseEnabled()
            ? SseSupervisor.from(config, new PushListener(service.claimer()))
            : null;
  }

  /** Turns the task stream into claimer wake-ups: an event says "claim", never "run this task". */
  private record PushListener(Claimer claimer) implements SseSupervisor.Listener {
    @Override
    public void onEvent(ManagerStreamEvent event) {
      if (event instanceof ManagerStreamEvent.TaskAvailable) {
        claimer.wake();
      }
    }

    @Override
    public void onPushUp() {
      claimer.pushUp();
    }

    @Override
    public void onPushDown() {
      claimer.pushDown();
    }
  }

  private static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  public Processor start() {
    service.start();
    if (push != null) {
      push.start();
    }
    return this;
  }

  /** Shuts down: nothing claimed is left behind (see {@link ProcessorService#shutdown()}). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (push != null) {
        push.close();
      }
      service.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timers.shutdownNow();
      managerHttp.close();
      ollamaHttp.close();
    }
  }
}
