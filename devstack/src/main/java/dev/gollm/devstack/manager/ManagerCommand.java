package dev.gollm.devstack.manager;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code devstack manager}: serves the manager-compatible coordinator until SIGINT/SIGTERM. */
@Command(
    name = "manager",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a go-llm manager-compatible coordinator on a SQLite database until SIGINT/SIGTERM.",
      "Internal API and POST /api/internal/submit need the API key; /_admin/ (faults) does not.",
      "See docs/devstack-manager.md."
    })
public final class ManagerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port to listen on (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to bind. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--db",
      description = "SQLite database file, created if missing. Default: a temporary file.")
  Path database;

  @Option(
      names = "--api-key",
      defaultValue = "${env:INTERNAL_API_KEY:-" + ManagerOptions.DEFAULT_API_KEY + "}",
      description =
          "INTERNAL_API_KEY processors must send. Default: $INTERNAL_API_KEY or "
              + ManagerOptions.DEFAULT_API_KEY
              + ".")
  String apiKey;

  @Option(
      names = "--cleanup-interval",
      converter = DurationConverter.class,
      description = "Run the cleanup periodically (e.g. 30s). Default: never, like the manager.")
  Duration cleanupInterval;

  @Option(
      names = "--stale-after",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Cleanup requeues tasks whose heartbeat is older. Default: ${DEFAULT-VALUE}.")
  Duration staleAfter;

  @Option(
      names = "--steal-after",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Work-steal takes tasks whose heartbeat is older. Default: ${DEFAULT-VALUE}.")
  Duration stealAfter;

  @Option(
      names = "--steal-owner-minimum",
      defaultValue = "5",
      description =
          "Work-steal takes only from owners holding more than this many tasks."
              + " Default: ${DEFAULT-VALUE}.")
  int stealOwnerMinimum;

  @Option(
      names = "--split-steal",
      converter = DurationConverter.class,
      description =
          "Run work-steal as the real manager does, select then unconditional update, with this"
              + " pause between (0s: no added pause), so concurrent steals can share a task."
              + " Default: atomic.")
  Duration splitStealPause;

  @Option(
      names = "--relax-sse-clamps",
      description = "Let task-stream heartbeat and maxDuration go down to 10 ms (for tests).")
  boolean relaxSseClamps;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (stealOwnerMinimum < 0) {
      spec.commandLine()
          .getErr()
          .println("error: --steal-owner-minimum must be 0 or more, got " + stealOwnerMinimum);
      return 2;
    }
    ManagerOptions options =
        ManagerOptions.builder()
            .host(host)
            .port(port)
            .database(database)
            .apiKey(apiKey)
            .cleanupInterval(cleanupInterval)
            .staleAfter(staleAfter)
            .stealAfter(stealAfter)
            .stealOwnerMinimum(stealOwnerMinimum)
            .relaxSseClamps(relaxSseClamps)
            .recordCompleteCalls(false)
            .build();
    ManagerServer server;
    try {
      server = ManagerServer.start(options);
    } catch (UncheckedIOException | StoreException e) {
      String cause = e.getCause() == null ? "" : ": " + e.getCause().getMessage();
      spec.commandLine().getErr().println("error: " + e.getMessage() + cause);
      return 1;
    }
    if (splitStealPause != null) {
      server.faults().splitSteals(splitStealPause);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("manager-shutdown")
                .unstarted(
                    () -> {
                      server.close();
                      stopped.countDown();
                    }));
    System.out.println(
        "devstack manager listening on "
            + host
            + ":"
            + server.port()
            + " ("
            + server.baseUrl()
            + "), database "
            + server.databasePath());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
