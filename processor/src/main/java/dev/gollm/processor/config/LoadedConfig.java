package dev.gollm.processor.config;

import java.util.List;

/**
 * A validated configuration together with how each variable was set.
 *
 * @param config the typed configuration
 * @param settings every variable in documentation order, the secret masked
 */
public record LoadedConfig(ProcessorConfig config, List<Setting> settings) {
  public LoadedConfig {
    settings = List.copyOf(settings);
  }
}
