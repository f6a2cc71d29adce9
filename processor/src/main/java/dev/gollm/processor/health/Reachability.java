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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Remembers when each dependency last answered and why it last failed. The clients report every
 * call here; readiness asks whether all dependencies answered within a window. A dependency that
 * answers can still be unusable for a while, such as Ollama loading the model: that is reported
 * with {@link #pending} until {@link #clearPending}.
 *
 * <p>A dependency the processor's own work does not reach while idle (the LLM servers) is probed
 * when readiness is asked ({@link #probeWhenAsked}) rather than on a timer: an idle processor
 * nobody watches makes no call, and a watched one makes one per freshness period, however often it
 * is asked.
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

  /** A dependency's probe, run when readiness is asked and its last answer is older than fresh. */
  private record Probe(Duration fresh, Runnable call, ReentrantLock running) {}

  private final Clock clock;
  private final Duration window;
  private final Map<Dependency, State> states = new EnumMap<>(Dependency.class);
  private final Map<Dependency, String> pending = new EnumMap<>(Dependency.class);
  private final Map<String, Supplier<?>> details = new LinkedHashMap<>();
  private final Map<Dependency, Probe> probes = new EnumMap<>(Dependency.class);

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

  /**
   * Probes {@code dependency} with {@code call} whenever readiness is asked ({@link #problems},
   * {@link #isReachable}) and it has not answered for longer than {@code fresh}, or failed since.
   * The call reports its outcome like any other; one runs at a time, and whoever asks meanwhile
   * waits for its answer.
   */
  public synchronized void probeWhenAsked(Dependency dependency, Duration fresh, Runnable call) {
    probes.put(dependency, new Probe(fresh, call, new ReentrantLock()));
  }

  /** True when the dependency answered within the window and has not failed since. */
  public boolean isReachable(Dependency dependency) {
    probeIfStale(dependency);
    synchronized (this) {
      return problem(dependency, clock.instant()) == null;
    }
  }

  /**
   * Why the processor cannot work now, one entry per unreachable or pending dependency; empty when
   * ready.
   */
  public List<String> problems() {
    for (Dependency d : Dependency.values()) {
      probeIfStale(d);
    }
    synchronized (this) {
      return problemsNow();
    }
  }

  /** Runs the dependency's probe, outside the monitor, when its last answer is not fresh. */
  private void probeIfStale(Dependency d) {
    Probe probe;
    synchronized (this) {
      probe = probes.get(d);
      if (probe == null || isFresh(d, probe.fresh())) {
        return;
      }
    }
    if (!probe.running().tryLock()) {
      // Another request's probe is on its way: its answer is this one's too.
      probe.running().lock();
      probe.running().unlock();
      return;
    }
    try {
      synchronized (this) {
        if (isFresh(d, probe.fresh())) {
          return;
        }
      }
      probe.call().run();
    } finally {
      probe.running().unlock();
    }
  }

  private boolean isFresh(Dependency d, Duration fresh) {
    State s = states.get(d);
    return s.lastSuccess != null
        && (s.lastFailure == null || s.lastSuccess.isAfter(s.lastFailure))
        && !s.lastSuccess.plus(fresh).isBefore(clock.instant());
  }

  private List<String> problemsNow() {
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
