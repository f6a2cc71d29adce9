package dev.gollm.processor;

import dev.gollm.processor.config.ConfigException;
import dev.gollm.processor.config.ConfigLoader;
import dev.gollm.processor.config.ConfigProblem;
import dev.gollm.processor.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point: {@code processor [run]} runs the service, {@code processor config} prints the
 * effective configuration. Exit status: 0 success (also after SIGTERM/SIGINT), 1 failure, 2 bad
 * configuration or usage.
 */
@Command(
    name = "processor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "The go-llm processor: the worker that runs the go-llm manager's LLM tasks on Ollama.",
      "Without a command it runs the service, like 'processor run'."
    },
    subcommands = {RunCommand.class, ConfigCommand.class},
    footer = {
      "",
      "Settings come from the environment, then the --config file, then ./.env,",
      "then the defaults. 'processor config --markdown' lists every variable.",
      "",
      "Exit status: 0 ok (also after SIGTERM or SIGINT), 1 failure,",
      "2 invalid configuration or usage."
    })
public final class Main implements Callable<Integer> {
  /** Exit status for a configuration the processor refuses to start with. */
  public static final int EXIT_BAD_CONFIG = 2;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read variables from FILE (KEY=VALUE lines); the environment overrides it.")
  Path configFile;

  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final PrintWriter err;

  private Main(Map<String, String> environment, Path workingDirectory, PrintWriter err) {
    this.environment = environment;
    this.workingDirectory = workingDirectory;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = execute(args, System.getenv(), Path.of("").toAbsolutePath(), out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the command line against the given environment and working directory (where .env is looked
   * for), writing to {@code out} and {@code err}; returns the exit status.
   */
  public static int execute(
      String[] args,
      Map<String, String> environment,
      Path workingDirectory,
      PrintWriter out,
      PrintWriter err) {
    Main main = new Main(environment, workingDirectory, err);
    if (args.length == 0 || (args.length == 1 && args[0].equals("run"))) {
      // The service itself needs no command-line model: picocli builds one by reflection over the
      // annotated commands, a measurable share of the start-up CPU.
      try {
        return RunCommand.run(main, null);
      } catch (RuntimeException e) {
        e.printStackTrace(err); // what picocli does with an exception a command throws
        err.flush();
        return 1;
      }
    }
    return new CommandLine(main).setOut(out).setErr(err).execute(args);
  }

  /** Runs the service (no subcommand given). */
  @Override
  public Integer call() {
    return RunCommand.run(this, configFile);
  }

  /**
   * Loads the configuration with {@code configFile} (nullable) or, if absent, the one given before
   * the subcommand. Problems are printed one per line on the error stream.
   */
  LoadedConfig loadConfig(Path configFile) throws ConfigException {
    Path file = configFile != null ? configFile : this.configFile;
    // The default PROCESSOR_ID must differ between processors, not be unguessable: a
    // SecureRandom's provider set-up would cost every start about 15 ms.
    ConfigLoader loader = new ConfigLoader(environment, workingDirectory, new SplittableRandom());
    try {
      return file == null ? loader.load() : loader.load(file);
    } catch (ConfigException e) {
      for (ConfigProblem problem : e.problems()) {
        err.println("config error: " + problem);
      }
      err.flush();
      throw e;
    }
  }

  /** "processor VERSION" from the build. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"processor " + Version.current()};
    }
  }
}
