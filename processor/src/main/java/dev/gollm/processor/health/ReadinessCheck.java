package dev.gollm.processor.health;

import java.util.List;

/** A reason set for /ready: why the processor cannot take work now; empty when it can. */
@FunctionalInterface
public interface ReadinessCheck {
  List<String> problems();

  /** A check that never objects. */
  static ReadinessCheck none() {
    return List::of;
  }
}
