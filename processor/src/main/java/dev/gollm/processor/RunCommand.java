package dev.gollm.processor;

import dev.gollm.processor.config.ConfigException;
import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.logging.Logging;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code processor run}: runs the service until SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the processor until SIGTERM or SIGINT, then stop in order and exit 0.")
final class RunCommand implements Callable<Integer> {
  /** Time a signalled stop may take beyond SHUTDOWN_GRACE before the process halts anyway. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  @ParentCommand Main main;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read variables from FILE (KEY=VALUE lines); the environment overrides it.")
  Path configFile;

  @Override
  public Integer call() {
    return run(main, configFile);
  }

  static int run(Main main, Path configFile) {
    ProcessorConfig config;
    try {
      config = main.loadConfig(configFile).config();
    } catch (ConfigException e) {
      return Main.EXIT_BAD_CONFIG;
    }
    Logging.configure(config.logFormat(), config.logLevel());

    ShutdownSignal signal = ShutdownSignal.install(config.shutdownGrace().plus(STOP_MARGIN));
    int status = 1;
    try {
      status = serve(config, signal);
    } finally {
      signal.finish(status);
      signal.close();
    }
    return status;
  }

  /** Starts the processor, waits for a stop signal, stops it; returns the exit status. */
  private static int serve(ProcessorConfig config, ShutdownSignal signal) {
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    try (Processor app = new Processor(config, Clock.systemUTC())) {
      try {
        app.start();
      } catch (IOException e) {
        log.error("cannot start: {}", e.getMessage());
        return 1;
      }
      signal.awaitRequest();
      log.info("stop requested");
    } catch (InterruptedException e) {
      // Nothing but a stop interrupts the main thread; the processor is already closed.
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("processor failed", e);
      return 1;
    }
    return 0;
  }
}
