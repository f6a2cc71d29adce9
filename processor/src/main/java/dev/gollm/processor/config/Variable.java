package dev.gollm.processor.config;

import java.util.List;

/**
 * One configuration variable: its name, accepted aliases, type, default and meaning. The table in
 * {@link ConfigVariables} is the single source of truth for loading, `processor config` and the
 * configuration tables of docs/configuration.md.
 *
 * @param original whether the variable comes from the original processor's table (else ours)
 */
record Variable<T>(
    String name,
    List<String> aliases,
    ValueType<T> type,
    DefaultValue<T> defaultValue,
    String description,
    boolean secret,
    boolean original) {

  Variable {
    aliases = List.copyOf(aliases);
  }
}
