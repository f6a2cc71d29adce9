package dev.gollm.processor.config;

/**
 * One variable of the effective configuration as `processor config` shows it.
 *
 * @param name the variable, e.g. POLL_INTERVAL
 * @param value the value as it would be written in the environment; "****" for the secret
 * @param source where the value came from
 */
public record Setting(String name, String value, ConfigSource source) {}
