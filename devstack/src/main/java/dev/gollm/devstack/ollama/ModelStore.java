package dev.gollm.devstack.ollama;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulated models: which are installed (/api/tags), which the "registry" offers to pull, and
 * which are loaded in memory with their keep_alive expiry (/api/ps). Expiry is evaluated when
 * asked, so no timer runs.
 */
final class ModelStore {
  /** An installed model. */
  record Installed(ModelProfile profile, Instant modifiedAt) {}

  /** A model resident in memory until {@code expiresAt}. */
  record Loaded(ModelProfile profile, Instant expiresAt) {}

  /**
   * The outcome of making a model ready: time spent (waiting for or doing a load) and whether it
   * loaded.
   */
  record Lease(long loadNanos, boolean cold) {}

  /** Shown as expiry for models kept loaded forever (negative keep_alive). */
  static final Instant FOREVER = Instant.parse("2318-11-26T00:00:00Z");

  private final Map<String, Installed> installed = new LinkedHashMap<>();
  private final Map<String, ModelProfile> catalog = new LinkedHashMap<>();
  private final Map<String, Runner> runners = new ConcurrentHashMap<>();
  private final Duration defaultKeepAlive;

  ModelStore(List<ModelProfile> present, List<ModelProfile> pullable, Duration defaultKeepAlive) {
    this.defaultKeepAlive = defaultKeepAlive;
    Instant now = Instant.now();
    for (ModelProfile p : present) {
      installed.put(p.name(), new Installed(p, now));
      catalog.put(p.name(), p);
    }
    for (ModelProfile p : pullable) {
      catalog.putIfAbsent(p.name(), p);
    }
  }

  synchronized Optional<Installed> find(String name) {
    return Optional.ofNullable(installed.get(ModelName.normalize(name)));
  }

  synchronized List<Installed> installed() {
    return List.copyOf(installed.values());
  }

  /** The profile the registry offers under this name, installed or not. */
  synchronized Optional<ModelProfile> pullable(String name) {
    return Optional.ofNullable(catalog.get(ModelName.normalize(name)));
  }

  /** Installs (or refreshes) a model, as a successful pull does. */
  synchronized void install(ModelProfile profile) {
    installed.remove(profile.name());
    installed.put(profile.name(), new Installed(profile, Instant.now()));
  }

  /** Deletes a model: it leaves /api/tags and /api/ps; requests already running finish. */
  synchronized boolean remove(String name) {
    String key = ModelName.normalize(name);
    runners.remove(key);
    return installed.remove(key) != null;
  }

  /**
   * Makes the model ready for one request, loading it (taking its load time) when it is not
   * resident; concurrent requests wait for one load. Every lease must be ended with {@link
   * #release}.
   */
  Lease acquire(ModelProfile profile, Duration keepAlive) throws InterruptedException {
    Duration keep = keepAlive == null ? defaultKeepAlive : keepAlive;
    long t0 = System.nanoTime();
    Runner r = runners.computeIfAbsent(profile.name(), n -> new Runner());
    r.loadLock.lockInterruptibly();
    try {
      if (r.enterIfLoaded(keep)) {
        return new Lease(System.nanoTime() - t0, false);
      }
      TimeUnit.NANOSECONDS.sleep(profile.loadTime().toNanos());
      r.enterAfterLoad(keep);
      return new Lease(System.nanoTime() - t0, true);
    } finally {
      r.loadLock.unlock();
    }
  }

  /**
   * Ends a lease; the model stays resident for {@code keepAlive} (negative = forever, 0 = unload
   * now).
   */
  void release(ModelProfile profile, Duration keepAlive) {
    Runner r = runners.get(profile.name());
    if (r != null) {
      r.leave(keepAlive == null ? defaultKeepAlive : keepAlive);
    }
  }

  /** Unloads a model at once, or when its running requests end. */
  void unload(String name) {
    Runner r = runners.get(ModelName.normalize(name));
    if (r != null) {
      r.unloadWhenIdle();
    }
  }

  /** Models resident now. */
  List<Loaded> loaded() {
    List<Loaded> out = new ArrayList<>();
    for (Installed i : installed()) {
      Runner r = runners.get(i.profile().name());
      if (r != null) {
        r.expiry().ifPresent(at -> out.add(new Loaded(i.profile(), at)));
      }
    }
    return out;
  }

  /**
   * Load state of one model; {@code loadLock} serialises loads, {@code state} guards the fields.
   */
  private static final class Runner {
    final ReentrantLock loadLock = new ReentrantLock();
    private final ReentrantLock state = new ReentrantLock();
    private boolean loaded;
    private int active;
    private boolean forever;
    private long expiresAtNanos;
    private Duration keepAlive = Duration.ZERO;

    private boolean residentAt(long now) {
      return loaded && (active > 0 || forever || expiresAtNanos - now > 0);
    }

    boolean enterIfLoaded(Duration keep) {
      state.lock();
      try {
        if (!residentAt(System.nanoTime())) {
          loaded = false;
          return false;
        }
        active++;
        keepAlive = keep;
        return true;
      } finally {
        state.unlock();
      }
    }

    void enterAfterLoad(Duration keep) {
      state.lock();
      try {
        loaded = true;
        active++;
        keepAlive = keep;
      } finally {
        state.unlock();
      }
    }

    void leave(Duration keep) {
      state.lock();
      try {
        active = Math.max(0, active - 1);
        keepAlive = keep;
        if (active == 0) {
          forever = keep.isNegative();
          if (keep.isZero()) {
            loaded = false;
          }
          expiresAtNanos = System.nanoTime() + (forever ? 0 : keep.toNanos());
        }
      } finally {
        state.unlock();
      }
    }

    void unloadWhenIdle() {
      state.lock();
      try {
        if (active == 0) {
          loaded = false;
        }
        keepAlive = Duration.ZERO;
        forever = false;
      } finally {
        state.unlock();
      }
    }

    Optional<Instant> expiry() {
      state.lock();
      try {
        long now = System.nanoTime();
        if (!residentAt(now)) {
          return Optional.empty();
        }
        if (forever || keepAlive.isNegative()) {
          return Optional.of(FOREVER);
        }
        long remaining = active > 0 ? keepAlive.toNanos() : expiresAtNanos - now;
        return Optional.of(Instant.now().plusNanos(remaining));
      } finally {
        state.unlock();
      }
    }
  }
}
