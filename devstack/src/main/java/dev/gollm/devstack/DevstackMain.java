package dev.gollm.devstack;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of devstack: one subcommand per tool (manager, ollama, submit, dev, bench, ...). */
@Command(
    name = "devstack",
    mixinStandardHelpOptions = true,
    versionProvider = DevstackMain.Version.class,
    description = "Development stack for the go-llm processor.",
    subcommands = {
      dev.gollm.devstack.manager.ManagerCommand.class,
      dev.gollm.devstack.manager.SubmitCommand.class,
      dev.gollm.devstack.original.StrandingCommand.class,
      dev.gollm.devstack.ollama.OllamaCommand.class,
      dev.gollm.devstack.dev.DevCommand.class,
      dev.gollm.devstack.bench.BenchCommand.class,
      dev.gollm.devstack.bench.AotTrainingCommand.class,
      dev.gollm.devstack.httpbench.HttpClientsCommand.class,
      dev.gollm.devstack.soak.SoakCommand.class
    })
public final class DevstackMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line of every tool. A wrong argument gets one line, naming it and what was
   * expected, and a pointer to the help; the usage itself only with --help.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new DevstackMain())
        .setParameterExceptionHandler(DevstackMain::reportBadArgument);
  }

  private static int reportBadArgument(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command
        .getErr()
        .println(
            "error: "
                + e.getMessage()
                + " (see "
                + command.getCommandSpec().qualifiedName()
                + " --help)");
    command.getErr().flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DevstackMain.class.getPackage().getImplementationVersion();
      return new String[] {"devstack " + (v == null ? "dev" : v)};
    }
  }
}
