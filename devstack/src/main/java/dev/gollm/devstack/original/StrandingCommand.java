package dev.gollm.devstack.original;

import dev.gollm.devstack.manager.DurationConverter;
import dev.gollm.devstack.manager.ManagerOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devstack stranding-processor}: runs a {@link StrandingProcessor} against a manager until
 * SIGINT/SIGTERM, then prints what it did.
 */
@Command(
    name = "stranding-processor",
    mixinStandardHelpOptions = true,
    description = {
      "Takes tasks from a manager's task stream as the original Go processor does: per",
      "task_available it claims a batch of 5, works only on the announced task and strands the",
      "others (processing, never heartbeated). Runs until SIGINT/SIGTERM, then prints its counts.",
      "See docs/devstack-manager.md."
    })
public final class StrandingCommand implements Callable<Integer> {
  @Option(
      names = "--manager",
      defaultValue = "http://127.0.0.1:8080",
      description = "Base URL of the manager. Default: ${DEFAULT-VALUE}.")
  URI manager;

  @Option(
      names = "--api-key",
      defaultValue = "${env:INTERNAL_API_KEY:-" + ManagerOptions.DEFAULT_API_KEY + "}",
      description =
          "The manager's INTERNAL_API_KEY. Default: $INTERNAL_API_KEY or dev-internal-key.")
  String apiKey;

  @Option(
      names = "--ollama",
      defaultValue = "http://127.0.0.1:11434",
      description = "Base URL of Ollama or the simulator. Default: ${DEFAULT-VALUE}.")
  URI ollama;

  @Option(
      names = "--id",
      defaultValue = "original-processor",
      description = "Processor id. Default: ${DEFAULT-VALUE}.")
  String processorId;

  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Tasks generated at once. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = "--heartbeat-interval",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Heartbeat period of the tasks it works on. Default: ${DEFAULT-VALUE}.")
  Duration heartbeatInterval;

  @Option(
      names = "--reconnect-delay",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Wait before reconnecting the task stream. Default: ${DEFAULT-VALUE}.")
  Duration reconnectDelay;

  @Option(
      names = "--model",
      defaultValue = "gemma3:1b",
      description = "Model when a task names none. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--complete-unowned",
      description =
          "Also generate and complete announced tasks it does not own, and finish tasks whose"
              + " heartbeat got 404 (the original's duplicates).")
  boolean completeUnowned;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    StrandingOptions options;
    try {
      options =
          StrandingOptions.builder(manager, apiKey, ollama)
              .processorId(processorId)
              .workers(workers)
              .heartbeatInterval(heartbeatInterval)
              .reconnectDelay(reconnectDelay)
              .model(model)
              .completeUnowned(completeUnowned)
              .build();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    StrandingProcessor processor = StrandingProcessor.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("stranding-shutdown")
                .unstarted(
                    () -> {
                      processor.close();
                      System.out.println(processor.stats());
                      System.out.flush();
                      stopped.countDown();
                    }));
    System.out.println(
        "stranding processor " + processorId + " reading " + manager + " task stream");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
