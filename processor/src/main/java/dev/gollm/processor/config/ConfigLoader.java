package dev.gollm.processor.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Builds the {@link ProcessorConfig} from its sources, highest first: the environment; the file
 * given with --config; a .env file in the working directory; the defaults. Every value is validated
 * and every problem is collected before giving up, so one run shows them all.
 */
public final class ConfigLoader {
  private final Map<String, String> environment;
  private final Optional<Path> dotEnvFile;
  private final RandomGenerator random;

  /**
   * @param environment the process environment (only the known variables are read)
   * @param workingDirectory where a .env file is looked for
   * @param random source of the default PROCESSOR_ID
   */
  public ConfigLoader(
      Map<String, String> environment, Path workingDirectory, RandomGenerator random) {
    this(environment, Optional.of(workingDirectory.resolve(".env")), random);
  }

  private ConfigLoader(
      Map<String, String> environment, Optional<Path> dotEnvFile, RandomGenerator random) {
    this.environment = Map.copyOf(environment);
    this.dotEnvFile = dotEnvFile;
    this.random = random;
  }

  /**
   * A loader that reads only the given variables and defaults: no files. For tests and embedding.
   */
  public static ConfigLoader environmentOnly(Map<String, String> environment) {
    return new ConfigLoader(environment, Optional.empty(), new SplittableRandom());
  }

  /** Shorthand for {@code environmentOnly(environment).load().config()}. */
  public static ProcessorConfig fromEnvironment(Map<String, String> environment)
      throws ConfigException {
    return environmentOnly(environment).load().config();
  }

  /** Loads from the environment, the .env file and the defaults. */
  public LoadedConfig load() throws ConfigException {
    return resolve(Optional.empty());
  }

  /**
   * Loads with {@code configFile} (KEY=VALUE lines; unknown keys are errors) between environment
   * and .env.
   */
  public LoadedConfig load(Path configFile) throws ConfigException {
    return resolve(Optional.of(configFile));
  }

  /**
   * A value found in one source under {@code key} (the variable's name or an alias), with what to
   * say about where it came from.
   */
  private record Found(
      String key, String text, ConfigSource source, String origin, boolean viaAlias) {}

  /** One source of values: a lookup by key plus a description of each key's origin. */
  private record Layer(ConfigSource source, Map<String, EnvFile.Entry> entries, String label) {
    Optional<Found> find(String key, boolean viaAlias) {
      EnvFile.Entry entry = entries.get(key);
      if (entry == null) {
        return Optional.empty();
      }
      String origin =
          source == ConfigSource.ENV
              ? "from the environment"
              : "from " + label + " line " + entry.line();
      if (viaAlias) {
        origin += ", given as " + key;
      }
      return Optional.of(new Found(key, entry.value(), source, origin, viaAlias));
    }
  }

  private LoadedConfig resolve(Optional<Path> configFile) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    List<Layer> layers = new ArrayList<>();
    layers.add(environmentLayer());
    configFile.ifPresent(
        file -> {
          String label = "--config " + file;
          EnvFile.Parsed parsed = EnvFile.read(file, label);
          problems.addAll(parsed.problems());
          Set<String> known = knownKeys();
          parsed.entries().values().stream()
              .filter(entry -> !known.contains(entry.key()))
              .forEach(
                  entry ->
                      problems.add(
                          ConfigProblem.unknownVariable(
                              entry.key(), "in " + label + " line " + entry.line())));
          layers.add(new Layer(ConfigSource.FILE, parsed.entries(), file.toString()));
        });
    // Keys a .env file holds for other tools (docker compose, say) are ignored, unlike --config.
    dotEnvFile
        .filter(Files::exists)
        .ifPresent(
            file -> {
              EnvFile.Parsed parsed = EnvFile.read(file, file.toString());
              problems.addAll(parsed.problems());
              layers.add(new Layer(ConfigSource.FILE, parsed.entries(), file.toString()));
            });

    Resolution resolution = new Resolution(layers, problems);
    for (Variable<?> variable : ConfigVariables.ALL) {
      resolution.resolve(variable);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new LoadedConfig(resolution.build(), resolution.settings);
  }

  private Layer environmentLayer() {
    Map<String, EnvFile.Entry> entries = new HashMap<>();
    for (String key : knownKeys()) {
      String value = environment.get(key);
      if (value != null) {
        entries.put(key, new EnvFile.Entry(key, value, 0));
      }
    }
    return new Layer(ConfigSource.ENV, entries, "the environment");
  }

  private static Set<String> knownKeys() {
    Set<String> keys = new HashSet<>();
    for (Variable<?> variable : ConfigVariables.ALL) {
      keys.add(variable.name());
      keys.addAll(variable.aliases());
    }
    return keys;
  }

  /** The state of one load: values resolved so far, settings to show, problems found. */
  private final class Resolution implements DefaultValue.Context {
    private final List<Layer> layers;
    private final List<ConfigProblem> problems;
    // By identity: the variables are constants, and a record's hashCode runs through method
    // handles that a start-up would pay to set up.
    private final Map<Variable<?>, Object> values = new IdentityHashMap<>();
    private final List<Setting> settings = new ArrayList<>();

    Resolution(List<Layer> layers, List<ConfigProblem> problems) {
      this.layers = layers;
      this.problems = problems;
    }

    /** Highest source first; within one source the variable's own name beats its aliases. */
    private Optional<Found> find(Variable<?> variable) {
      for (Layer layer : layers) {
        Optional<Found> found = layer.find(variable.name(), false);
        for (String alias : variable.aliases()) {
          if (found.isEmpty()) {
            found = layer.find(alias, true);
          }
        }
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }

    <T> void resolve(Variable<T> variable) {
      Optional<Found> found = find(variable);
      if (found.isEmpty()) {
        resolveDefault(variable);
        return;
      }
      Found value = found.get();
      try {
        T parsed = variable.type().parse(value.text());
        values.put(variable, parsed);
        boolean canonical = variable.type().showCanonical() || value.viaAlias();
        String shown = canonical ? variable.type().format(parsed) : value.text();
        settings.add(new Setting(variable.name(), mask(variable, shown), value.source()));
      } catch (InvalidValueException e) {
        if (value.text().isBlank()) {
          problems.add(
              ConfigProblem.emptyValue(
                  variable.name(),
                  value.text(),
                  value.origin(),
                  howToGetTheDefault(value),
                  variable.defaultValue().documentation().replace("`", ""),
                  e.expected()));
        } else {
          problems.add(
              ConfigProblem.invalidValue(
                  variable.name(), mask(variable, value.text()), value.origin(), e.expected()));
        }
      }
    }

    private <T> void resolveDefault(Variable<T> variable) {
      DefaultValue<T> defaultValue = variable.defaultValue();
      if (defaultValue instanceof DefaultValue.Literal<T> literal) {
        try {
          values.put(variable, variable.type().parse(literal.text()));
        } catch (InvalidValueException e) {
          throw new IllegalStateException(
              "the built-in default of " + variable.name() + " is invalid: " + e.expected(), e);
        }
        settings.add(
            new Setting(variable.name(), mask(variable, literal.text()), ConfigSource.DEFAULT));
      } else if (defaultValue instanceof DefaultValue.Derived<T> derived) {
        derived
            .compute()
            .apply(this)
            .ifPresent(
                value -> {
                  values.put(variable, value);
                  String shown = mask(variable, variable.type().format(value));
                  settings.add(new Setting(variable.name(), shown, ConfigSource.DEFAULT));
                });
      }
    }

    /** What to do so that the variable takes its default instead of the empty value found. */
    private static String howToGetTheDefault(Found value) {
      return value.source() == ConfigSource.ENV ? "unset " + value.key() : "delete that line";
    }

    private static String mask(Variable<?> variable, String text) {
      return variable.secret() && !text.isEmpty() ? "****" : text;
    }

    @Override
    public <V> Optional<V> value(Variable<V> variable) {
      @SuppressWarnings("unchecked") // values holds a V for every Variable<V> key
      V value = (V) values.get(variable);
      return Optional.ofNullable(value);
    }

    @Override
    public RandomGenerator random() {
      return random;
    }

    <V> V get(Variable<V> variable) {
      return value(variable)
          .orElseThrow(() -> new IllegalStateException(variable.name() + " was not resolved"));
    }

    ProcessorConfig build() {
      return ConfigVariables.toConfig(this::get);
    }
  }
}
