package dev.gollm.processor.health;

import dev.gollm.processor.llm.LlmReachability;
import dev.gollm.processor.manager.ManagerReachability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers when each dependency last answered and why it last failed. The clients report every
 * call here; readiness asks whether all dependencies answered within a window. A dependency that
 * answers can still be unusable for a while, such as Ollama loading the model: that is reported
 * with {@link #pending} until {@link #clearPending}.
 */
public final class Reachability {
  /** The services the processor depends on. */
  public enum Dependency {
    MANAGER,
    OLLAMA;

    /** The lower-case name /ready and the metrics use. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record State(Instant lastSuccess, Instant lastFailure, String lastError) {}

  private final Clock clock;
  private final Duration window;
  private final Map<Dependency, State> states = new EnumMap<>(Dependency.class);
  private final Map<Dependency, String> pending = new EnumMap<>(Dependency.class);
  private final Map<String, Supplier<?>> details = new LinkedHashMap<>();

  public Reachability(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
    for (Dependency d : Dependency.values()) {
      states.put(d, new State(null, null, null));
    }
  }

  public synchronized void succeeded(Dependency dependency) {
    State s = states.get(dependency);
    states.put(dependency, new State(clock.instant(), s.lastFailure, s.lastError));
  }

  public synchronized void failed(Dependency dependency, String reason) {
    State s = states.get(dependency);
    states.put(dependency, new State(s.lastSuccess, clock.instant(), reason));
  }

  /** What the manager client reports its calls to. */
  public ManagerReachability manager() {
    return new ManagerReachability() {
      @Override
      public void reached() {
        succeeded(Dependency.MANAGER);
      }

      @Override
      public void unreachable(String reason) {
        failed(Dependency.MANAGER, reason);
      }
    };
  }

  /** What the Ollama client reports its calls to. */
  public LlmReachability ollama() {
    return new LlmReachability() {
      @Override
      public void reached() {
        succeeded(Dependency.OLLAMA);
      }

      @Override
      public void unreachable(String reason) {
        failed(Dependency.OLLAMA, reason);
      }

      @Override
      public void pending(String reason) {
        Reachability.this.pending(Dependency.OLLAMA, reason);
      }

      @Override
      public void clearPending() {
        Reachability.this.clearPending(Dependency.OLLAMA);
      }
    };
  }

  /** Marks the dependency as answering but not usable yet, for a reason /ready shows. */
  public synchronized void pending(Dependency dependency, String reason) {
    pending.put(dependency, reason);
  }

  /** Ends what {@link #pending} reported. */
  public synchronized void clearPending(Dependency dependency) {
    pending.remove(dependency);
  }

  /**
   * Adds a named section to /ready's answer, read on every request: who knows a dependency best
   * (such as the LLM router, listing its endpoints) describes it there.
   */
  public synchronized void detail(String name, Supplier<?> detail) {
    details.put(name, detail);
  }

  /** The sections added by {@link #detail}, each read now. */
  public Map<String, Object> details() {
    Map<String, Supplier<?>> sections;
    synchronized (this) {
      sections = new LinkedHashMap<>(details);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    sections.forEach((name, section) -> out.put(name, section.get()));
    return out;
  }

  /** True when the dependency answered within the window and has not failed since. */
  public synchronized boolean isReachable(Dependency dependency) {
    return problem(dependency, clock.instant()) == null;
  }

  /**
   * Why the processor cannot work now, one entry per unreachable or pending dependency; empty when
   * ready.
   */
  public synchronized List<String> problems() {
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    for (Dependency d : Dependency.values()) {
      // Both can hold at once (a model that cannot be pulled, then no answer for a while): each
      // is worth reading.
      for (String p : new String[] {problem(d, now), pending.get(d)}) {
        if (p != null) {
          problems.add(d.label() + ": " + p);
        }
      }
    }
    return problems;
  }

  private String problem(Dependency d, Instant now) {
    State s = states.get(d);
    if (s.lastSuccess == null) {
      return s.lastError == null ? "not reached yet" : s.lastError;
    }
    if (s.lastFailure != null && s.lastFailure.isAfter(s.lastSuccess)) {
      return s.lastError;
    }
    if (s.lastSuccess.plus(window).isBefore(now)) {
      return "no answer for " + Duration.between(s.lastSuccess, now).toSeconds() + "s";
    }
    return null;
  }
}
