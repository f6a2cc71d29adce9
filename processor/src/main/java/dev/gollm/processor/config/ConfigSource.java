package dev.gollm.processor.config;

import java.util.Locale;

/** Where a variable's effective value came from; `processor config` prints it in lower case. */
public enum ConfigSource {
  /** The built-in default (or one derived from other variables). */
  DEFAULT,
  /** The process environment. */
  ENV,
  /** The file given with --config, or the .env file in the working directory. */
  FILE;

  /** The name as `processor config` prints it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
