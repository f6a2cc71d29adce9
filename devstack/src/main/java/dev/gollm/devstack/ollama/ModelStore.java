package dev.gollm.devstack.ollama;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulated models: which are installed (/api/tags), which the "registry" offers to pull, and
 * which are loaded in memory with their keep_alive expiry and context window (/api/ps). Expiry is
 * evaluated on the store's clock when asked, so no timer runs.
 */
final class ModelStore {
  /** An installed model. */
  record Installed(ModelProfile profile, Instant modifiedAt) {}

  /** A model resident in memory until {@code expiresAt}, with a context window of {@code ctx}. */
  record Loaded(ModelProfile profile, Instant expiresAt, int ctx) {}

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
  private final InstantSource clock;
  private volatile Duration defaultKeepAlive;

  ModelStore(
      List<ModelProfile> present,
      List<ModelProfile> pullable,
      Duration defaultKeepAlive,
      InstantSource clock) {
    this.defaultKeepAlive = defaultKeepAlive;
    this.clock = clock;
    Instant now = clock.instant();
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
    installed.put(profile.name(), new Installed(profile, clock.instant()));
  }

  /** Deletes a model: it leaves /api/tags and /api/ps; requests already running finish. */
  synchronized boolean remove(String name) {
    String key = ModelName.normalize(name);
    runners.remove(key);
    return installed.remove(key) != null;
  }

  /**
   * Makes the model ready for one request with a context window of {@code numCtx} tokens, loading
   * it (taking its load time) when it is not resident. A model resident with another context window
   * is reloaded once the requests running on it are done, as Ollama reloads a runner for a new
   * {@code num_ctx}. Concurrent requests wait for one load. Every lease must be ended with {@link
   * #release}.
   */
  Lease acquire(ModelProfile profile, Duration keepAlive, int numCtx) throws InterruptedException {
    Duration keep = keepAlive == null ? defaultKeepAlive : keepAlive;
    long t0 = System.nanoTime();
    Runner r = runners.computeIfAbsent(profile.name(), n -> new Runner());
    r.loadLock.lockInterruptibly();
    try {
      if (r.enterIfLoaded(keep, numCtx, clock.instant())) {
        return new Lease(System.nanoTime() - t0, false);
      }
      TimeUnit.NANOSECONDS.sleep(profile.loadTime().toNanos());
      r.enterAfterLoad(keep, numCtx);
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
      r.leave(keepAlive == null ? defaultKeepAlive : keepAlive, clock.instant());
    }
  }

  /** Unloads a model at once, or when its running requests end. */
  void unload(String name) {
    Runner r = runners.get(ModelName.normalize(name));
    if (r != null) {
      r.unloadWhenIdle();
    }
  }

  /** The keep_alive of requests that give none. */
  Duration defaultKeepAlive() {
    return defaultKeepAlive;
  }

  /** Changes the keep_alive of requests that give none (for requests ending from now on). */
  void defaultKeepAlive(Duration value) {
    defaultKeepAlive = value;
  }

  /** Models resident now. */
  List<Loaded> loaded() {
    Instant now = clock.instant();
    List<Loaded> out = new ArrayList<>();
    for (Installed i : installed()) {
      Runner r = runners.get(i.profile().name());
      if (r != null) {
        r.residency(now).ifPresent(x -> out.add(new Loaded(i.profile(), x.expiresAt(), x.ctx())));
      }
    }
    return out;
  }

  /** Until when a resident runner stays, and its context window. */
  private record Residency(Instant expiresAt, int ctx) {}

  /**
   * Load state of one model; {@code loadLock} serialises loads, {@code state} guards the fields.
   * Times come from the store's clock, so expiry can be tested without waiting.
   */
  private static final class Runner {
    final ReentrantLock loadLock = new ReentrantLock();
    private final ReentrantLock state = new ReentrantLock();
    private final Condition idle = state.newCondition();
    private boolean loaded;
    private int ctx;
    private int active;
    private boolean unloadRequested;
    private Duration keepAlive = Duration.ZERO;
    private Instant expiresAt = Instant.MIN;

    private boolean residentAt(Instant now) {
      return loaded && (active > 0 || keepAlive.isNegative() || now.isBefore(expiresAt));
    }

    /**
     * Enters a resident runner with the wanted context; otherwise waits until no request runs and
     * returns false: the caller loads.
     */
    boolean enterIfLoaded(Duration keep, int numCtx, Instant now) throws InterruptedException {
      state.lock();
      try {
        if (residentAt(now) && ctx == numCtx) {
          active++;
          keepAlive = keep;
          return true;
        }
        while (active > 0) {
          idle.await();
        }
        loaded = false;
        return false;
      } finally {
        state.unlock();
      }
    }

    void enterAfterLoad(Duration keep, int numCtx) {
      state.lock();
      try {
        loaded = true;
        unloadRequested = false;
        ctx = numCtx;
        active++;
        keepAlive = keep;
      } finally {
        state.unlock();
      }
    }

    void leave(Duration keep, Instant now) {
      state.lock();
      try {
        active = Math.max(0, active - 1);
        keepAlive = keep;
        if (active == 0) {
          if (keep.isZero() || unloadRequested) {
            loaded = false;
            unloadRequested = false;
          }
          expiresAt = keep.isNegative() ? Instant.MAX : now.plus(keep);
          idle.signalAll();
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
        } else {
          unloadRequested = true;
        }
      } finally {
        state.unlock();
      }
    }

    Optional<Residency> residency(Instant now) {
      state.lock();
      try {
        if (!residentAt(now)) {
          return Optional.empty();
        }
        if (keepAlive.isNegative()) {
          return Optional.of(new Residency(FOREVER, ctx));
        }
        return Optional.of(new Residency(active > 0 ? now.plus(keepAlive) : expiresAt, ctx));
      } finally {
        state.unlock();
      }
    }
  }
}
