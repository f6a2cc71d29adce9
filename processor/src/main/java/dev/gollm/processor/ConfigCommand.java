package dev.gollm.processor;

import dev.gollm.processor.config.ConfigException;
import dev.gollm.processor.config.ConfigReference;
import dev.gollm.processor.config.LoadedConfig;
import dev.gollm.processor.config.Setting;
import dev.gollm.processor.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code processor config}: prints the effective configuration, or the table of all variables. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective configuration as JSON, or every variable with --markdown.",
      "The JSON object is keyed by variable name, each entry",
      "{\"value\": \"...\", \"source\": \"default\" | \"env\" | \"file\"}; the secret is masked.",
      "Exits 2, naming each bad variable, when the configuration is invalid."
    })
final class ConfigCommand implements Callable<Integer> {
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
    out.print(render(loaded));
    out.flush();
    return 0;
  }

  /** One JSON object, one variable per line, so the output reads well and greps well. */
  static String render(LoadedConfig loaded) {
    StringBuilder out = new StringBuilder("{\n");
    List<Setting> settings = loaded.settings();
    for (int i = 0; i < settings.size(); i++) {
      Setting setting = settings.get(i);
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("value", setting.value());
      entry.put("source", setting.source().label());
      out.append("  ")
          .append(Json.text(setting.name()))
          .append(": ")
          .append(Json.text(entry))
          .append(i + 1 < settings.size() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }
}
