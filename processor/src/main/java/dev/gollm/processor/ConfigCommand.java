package dev.gollm.processor;

import dev.gollm.processor.config.ConfigException;
import dev.gollm.processor.config.ConfigReference;
import dev.gollm.processor.config.LoadedConfig;
import dev.gollm.processor.config.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code processor config}: prints the effective configuration, or the table of all variables. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective configuration as one JSON object keyed by variable name:",
      "{\"VAR\": {\"value\": \"...\", \"source\": \"default|env|file\"}}; the secret is masked.",
      "Exits 2, naming each bad variable, when the configuration is invalid."
    })
final class ConfigCommand implements Callable<Integer> {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read variables from FILE (KEY=VALUE lines); the environment overrides it.")
  Path configFile;

  @Option(
      names = "--markdown",
      description = "Print every variable's default, type and meaning as Markdown tables instead.")
  boolean markdown;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (markdown) {
      out.print(ConfigReference.markdown());
      out.flush();
      return 0;
    }
    LoadedConfig loaded;
    try {
      loaded = main.loadConfig(configFile);
    } catch (ConfigException e) {
      return Main.EXIT_BAD_CONFIG;
    }
    out.println(JSON.writeValueAsString(toJson(loaded)));
    out.flush();
    return 0;
  }

  static ObjectNode toJson(LoadedConfig loaded) {
    ObjectNode root = JSON.createObjectNode();
    for (Setting setting : loaded.settings()) {
      ObjectNode entry = root.putObject(setting.name());
      entry.put("value", setting.value());
      entry.put("source", setting.source().label());
    }
    return root;
  }
}
