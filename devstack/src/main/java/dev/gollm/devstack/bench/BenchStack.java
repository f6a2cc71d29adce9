package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One scenario's world: a fresh devstack manager and Ollama simulator in this JVM, and processors
 * started against them as separate JVMs from the jar, as in production. Closing it stops the
 * processors (SIGTERM, then SIGKILL if they linger), the simulator and the manager.
 */
public final class BenchStack implements AutoCloseable {
  /** The model every processor asks for. */
  public static final String MODEL = "gemma2:1b";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /**
   * A processor JVM that answered 200 on /ready.
   *
   * @param process the JVM
   * @param healthPort its health server's port
   * @param readyAfter from spawning the JVM to the first 200 from /ready
   * @param settings the scenario's settings it was started with (on top of the stack's)
   */
  public record RunningProcessor(
      ProcessorProcess process, int healthPort, Duration readyAfter, Map<String, String> settings) {
    public RunningProcessor {
      settings = Map.copyOf(settings);
    }
  }

  private final Path jar;
  private final List<String> jvmFlags;
  private final ProcessorLog log;
  private final ReadyProbe probe;
  private final ManagerServer manager;
  private final OllamaSimulator ollama;
  private final CompletionTracker completions = new CompletionTracker();
  private final List<ProcessorProcess> spawned = new CopyOnWriteArrayList<>();
  private final List<RunningProcessor> processors = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private BenchStack(
      Path jar,
      List<String> jvmFlags,
      ProcessorLog log,
      ReadyProbe probe,
      int slots,
      ModelProfile model,
      ManagerOptions managerOptions) {
    this.jar = jar;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.log = log;
    this.probe = probe;
    this.manager = ManagerServer.start(managerOptions);
    try {
      this.ollama =
          new OllamaSimulator(
                  OllamaSimulator.Options.builder()
                      .slots(slots)
                      .models(List.of(model))
                      .recordCapacity(100_000)
                      .build())
              .start();
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    manager.onComplete(completions);
  }

  /**
   * Starts a manager with {@code managerOptions} and a simulator with {@code slots} slots serving
   * only {@code model}; processors will run from {@code jar} with {@code jvmFlags} after
   * bin/processor's.
   */
  public static BenchStack start(
      Path jar,
      List<String> jvmFlags,
      ProcessorLog log,
      ReadyProbe probe,
      int slots,
      ModelProfile model,
      ManagerOptions managerOptions) {
    return new BenchStack(jar, jvmFlags, log, probe, slots, model, managerOptions);
  }

  /**
   * The manager of most scenarios: the real one's thresholds; complete calls are not kept (the
   * stack's {@link CompletionTracker} listens to them).
   */
  public static ManagerOptions defaultManagerOptions() {
    return ManagerOptions.builder().recordCompleteCalls(false).build();
  }

  public ManagerServer manager() {
    return manager;
  }

  public OllamaSimulator ollama() {
    return ollama;
  }

  public CompletionTracker completions() {
    return completions;
  }

  /** Every processor that became ready so far, oldest first. */
  public List<RunningProcessor> processors() {
    return List.copyOf(processors);
  }

  /**
   * Spawns one processor JVM per name at once with these settings (on top of the addresses, key,
   * health port, id and JSON logging at warn level), then waits until each answers /ready.
   */
  public List<RunningProcessor> startProcessors(List<String> names, Map<String, String> settings)
      throws InterruptedException {
    List<ProcessorProcess> started = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (String name : names) {
      int port = freePort();
      ProcessorProcess p =
          ProcessorProcess.start(
              name, jar, environment(name, port, settings), jvmFlags, log.forProcessor(name));
      spawned.add(p); // stopped with the stack even if it never becomes ready
      started.add(p);
      ports.add(port);
    }
    List<RunningProcessor> ready = new ArrayList<>();
    for (int i = 0; i < started.size(); i++) {
      ProcessorProcess p = started.get(i);
      URI uri = URI.create("http://127.0.0.1:" + ports.get(i) + "/ready");
      ready.add(
          new RunningProcessor(p, ports.get(i), probe.await(p, uri, READY_TIMEOUT), settings));
    }
    processors.addAll(ready);
    return ready;
  }

  private Map<String, String> environment(
      String name, int healthPort, Map<String, String> settings) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WORKER_URL", manager.baseUrl());
    env.put("OLLAMA_URL", ollama.baseUrl());
    env.put("INTERNAL_API_KEY", manager.apiKey());
    env.put("HEALTH_ADDR", "127.0.0.1:" + healthPort);
    env.put("PROCESSOR_ID", name);
    env.put("MODEL_NAME", MODEL);
    env.put("LOG_LEVEL", "warn");
    env.put("LOG_FORMAT", "json");
    env.putAll(settings);
    return env;
  }

  /** A port that was free a moment ago (the processor binds it itself, so it can be read). */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for a processor's health server", e);
    }
  }

  /** Creates one task per text in one go (one transaction, one announcement per task). */
  public List<String> submit(List<String> texts) {
    return manager.submit(texts.stream().map(NewTask::of).toList());
  }

  /**
   * Runs {@code count} unmeasured tasks to completion, so the JIT compilers and connection pools of
   * the processors are warm; then forgets the simulator's records. The tasks ask for one token
   * ({@code max_tokens} 1): the processor does the same work for them, the simulator spends only
   * its time to first token.
   *
   * @throws BenchException when they do not complete within {@code timeout}
   */
  public void warmUp(String prefix, int count, Duration timeout) throws InterruptedException {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(
          NewTask.of(prefix + "-warmup-" + i + " hand-thrown stoneware mug")
              .withOllamaParams("{\"max_tokens\":1}"));
    }
    List<String> ids = manager.submit(tasks);
    if (!completions.awaitAll(ids, timeout)) {
      throw new BenchException(
          completions.missing(ids)
              + " of "
              + count
              + " warm-up tasks did not complete in "
              + timeout);
    }
    ollama.reset();
  }

  /** The summed CPU time of every processor started, in ms (NaN when the OS does not say). */
  public double processorsCpuMillis() {
    double total = 0;
    for (ProcessorProcess p : spawned) {
      var cpu = p.cpuTime();
      if (cpu.isEmpty()) {
        return Double.NaN;
      }
      total += cpu.get().toNanos() / 1e6;
    }
    return total;
  }

  /** A reading of every processor's threads, in start order. */
  public List<ThreadCpu> processorThreads() {
    return spawned.stream().map(p -> ThreadCpu.read(p.pid())).toList();
  }

  /** Stops every processor (all at once), then the simulator and the manager; once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (ProcessorProcess p : spawned) {
      p.handle().destroy();
    }
    for (ProcessorProcess p : spawned) {
      try {
        if (p.terminate(STOP_TIMEOUT) < 0) {
          p.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.close();
      }
    }
    ollama.close();
    manager.close();
  }

  /** Kills every processor at once, for an interrupted run (a shutdown hook). */
  public void killProcessors() {
    for (ProcessorProcess p : spawned) {
      p.handle().destroyForcibly();
    }
  }
}
