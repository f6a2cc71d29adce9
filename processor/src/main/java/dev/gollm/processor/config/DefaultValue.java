package dev.gollm.processor.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** A variable's default: a fixed text, or a value derived from other variables or chance. */
sealed interface DefaultValue<T> {
  /** How the default is shown in documentation. */
  String documentation();

  /** A default written as the user would write it, e.g. "5s". */
  record Literal<T>(String text) implements DefaultValue<T> {
    @Override
    public String documentation() {
      return text;
    }
  }

  /**
   * A default computed at load time; empty when a variable it depends on is itself invalid (that
   * problem is reported on its own).
   */
  record Derived<T>(String documentation, Function<Context, Optional<T>> compute)
      implements DefaultValue<T> {}

  /** What a derived default may look at. */
  interface Context {
    /** The value of a variable resolved earlier in the table; empty if it was invalid. */
    <V> Optional<V> value(Variable<V> variable);

    RandomGenerator random();
  }
}
