package dev.gollm.processor.llm.route;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.llm.LlmReachability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads generations over several LLM endpoints, each with its own capacity (generations at once),
 * circuit ({@link Circuit}) and {@link Pace}. An endpoint whose wait is over gets the next attempt
 * as its one probe; otherwise a generation goes to an endpoint that may serve its model, is closed
 * and has a free slot: the one whose generations of the model are quickest (an endpoint not yet
 * timed counts as quickest, so each gets timed), then the one with most free slots. When every
 * endpoint serving the model is full, the caller waits for a slot (cancellable, woken by releases).
 * When every endpoint serving the model is open, the attempt goes to the one due soonest anyway:
 * nothing better exists, and the task's own retry backoff paces it, as with a single server.
 *
 * <p>The end of a backlog: while many tasks wait, every free slot is worth taking, but the last
 * tasks should go where they finish soonest. So when a quicker endpoint is full but its slots, as
 * they free, could finish this task and every other task ahead of it (queued in the processor,
 * waiting here) before the free slower endpoint would finish this one, the caller waits for the
 * quicker one, no longer than that advantage lasts. While the manager likely holds more tasks, the
 * free slot is always taken.
 *
 * <p>A failed attempt is thrown to the caller as it is; the task's retry calls {@link #chat} again,
 * and that attempt avoids the endpoint just opened. So one endpoint down never fails a task another
 * endpoint can run.
 */
public final class EndpointRouter implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(EndpointRouter.class);

  /** One endpoint as configured. */
  public record Route(String url, int capacity, Backend backend) {
    public Route {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity of " + url + " must be at least 1");
      }
    }
  }

  /** What an attempt should do now. */
  sealed interface Decision {
    /** Run on this endpoint; {@code probe}: it is the half-open circuit's one probing attempt. */
    record Go(String url, boolean probe) implements Decision {}

    /** No slot now: wait for a release, or until {@code until} (null: no time limit). */
    record Wait(Instant until) implements Decision {}

    /** No endpoint offers the model. */
    record NoneServes() implements Decision {}
  }

  private static final class Endpoint {
    final Route route;
    final Circuit circuit = new Circuit();
    final Pace pace = new Pace();
    boolean unreachable;

    Endpoint(Route route) {
      this.route = route;
    }

    String url() {
      return route.url();
    }

    int free() {
      return route.capacity() - pace.inUse();
    }
  }

  private record Slot(Endpoint endpoint, boolean probe, Pace.Busy busy) {}

  private final List<Endpoint> endpoints;
  private final Clock clock;
  private final EndpointMetrics metrics;
  private final LlmReachability reachability;
  private final IntSupplier tasksAhead;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private int waiters;

  /**
   * @param reachability the processor's: the LLM counts as reachable while any endpoint answers
   * @param tasksAhead how many tasks wait for a worker in the processor; {@link Integer#MAX_VALUE}
   *     while the manager likely holds more
   */
  public EndpointRouter(
      List<Route> routes,
      Clock clock,
      EndpointMetrics metrics,
      LlmReachability reachability,
      IntSupplier tasksAhead) {
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is required");
    }
    this.endpoints = routes.stream().map(Endpoint::new).toList();
    this.clock = clock;
    this.metrics = metrics;
    this.reachability = reachability;
    this.tasksAhead = tasksAhead;
    for (Endpoint e : endpoints) {
      metrics.endpoint(
          e.url(),
          e.route.capacity(),
          () -> locked(() -> e.pace.inUse()),
          () -> locked(() -> e.circuit.state(clock.instant()) == Circuit.State.CLOSED ? 1 : 0));
    }
  }

  /** Asks every endpoint at once; succeeds when one answers. Answers close circuits. */
  @Override
  public void ping() {
    List<CompletableFuture<Void>> pings =
        endpoints.stream().map(e -> CompletableFuture.runAsync(() -> pingOne(e), calls)).toList();
    List<LlmException> failures = awaitAll(pings);
    if (failures.size() == endpoints.size()) {
      throw combined(failures, "no LLM endpoint answers");
    }
  }

  private void pingOne(Endpoint e) {
    try {
      e.route.backend().ping();
      record(e, null, null);
    } catch (LlmException.Retryable x) {
      record(e, null, x);
      throw x;
    }
  }

  /**
   * Returns once some endpoint has the model or can get it (an Ollama endpoint pulls it). Endpoints
   * are asked at the same time, skipping open ones while another is available; a pull goes on after
   * this returns.
   */
  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    Instant now = clock.instant();
    List<Endpoint> candidates =
        locked(
            () -> {
              List<Endpoint> notOpen = new ArrayList<>(endpoints.size());
              for (Endpoint e : endpoints) {
                if (e.circuit.state(now) != Circuit.State.OPEN) {
                  notOpen.add(e);
                }
              }
              return notOpen.isEmpty() ? endpoints : notOpen;
            });
    if (candidates.size() == 1) {
      ensureOn(candidates.get(0), model, cancel);
      return;
    }
    CompletableFuture<Void> anyReady = new CompletableFuture<>();
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    for (Endpoint e : candidates) {
      checks.add(
          CompletableFuture.runAsync(() -> ensureOn(e, model, cancel), calls)
              .whenComplete(
                  (ok, failure) -> {
                    if (failure == null) {
                      anyReady.complete(null);
                    }
                  }));
    }
    CompletableFuture<Void> allEnded =
        CompletableFuture.allOf(
            checks.stream()
                .map(c -> c.handle((ok, failure) -> null))
                .toArray(CompletableFuture[]::new));
    CompletableFuture.anyOf(anyReady, allEnded).join();
    if (anyReady.isDone()) {
      return;
    }
    if (cancel.isCancelled()) {
      throw new LlmException.Cancelled(cancel.reason());
    }
    throw combined(awaitAll(checks), "no endpoint can serve model " + model);
  }

  private void ensureOn(Endpoint e, String model, CancelSignal cancel) {
    try {
      e.route.backend().ensureModel(model, cancel);
    } catch (LlmException.Retryable x) {
      record(e, model, x);
      throw x;
    }
    // The model may have been known without a call, so the circuit learns nothing here; but a
    // closed endpoint that has the model counts as reachable (the first check at start-up asks).
    boolean closed = locked(() -> e.circuit.state(clock.instant()) == Circuit.State.CLOSED);
    if (closed) {
      reachability.reached();
    }
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    String model = request.model();
    while (true) {
      Slot slot = acquire(model, cancel);
      Endpoint e = slot.endpoint();
      boolean recorded = false;
      try {
        try {
          e.route.backend().ensureModel(model, cancel);
        } catch (LlmException.Permanent x) {
          if (!e.route.backend().mayServe(model)) {
            continue; // its model list, now known, lacks the model: choose again
          }
          throw x;
        }
        Generation g = e.route.backend().chat(request, cancel);
        record(e, model, null);
        recorded = true;
        learn(e, model, g);
        metrics.generation(e.url(), model, g);
        return g.withEndpoint(e.url());
      } catch (LlmException.Retryable x) {
        record(e, model, x);
        recorded = true;
        metrics.error(e.url(), model, x.failure().label());
        throw x;
      } catch (LlmException.Permanent x) {
        record(e, model, null);
        recorded = true;
        metrics.error(e.url(), model, "rejected");
        throw x;
      } catch (LlmException.ModelMissing x) {
        record(e, model, null);
        recorded = true;
        metrics.error(e.url(), model, "model_missing");
        throw x;
      } finally {
        release(slot, recorded);
      }
    }
  }

  /** Takes a slot on the best endpoint for the model, waiting for one while all are full. */
  private Slot acquire(String model, CancelSignal cancel) {
    while (true) {
      Slot slot = awaitSlot(model, cancel);
      if (slot != null) {
        return slot;
      }
      // No endpoint offers the model: list again where stale, and fail naming what they offer.
      ensureModel(model, cancel);
    }
  }

  /** A slot, or null when no endpoint offers the model. */
  private Slot awaitSlot(String model, CancelSignal cancel) {
    CancelSignal.Registration wake = cancel.onCancel(this::signalChange);
    lock.lock();
    try {
      Instant arrived = clock.instant();
      while (true) {
        if (cancel.isCancelled()) {
          throw new LlmException.Cancelled(cancel.reason());
        }
        Instant now = clock.instant();
        long ahead = (long) tasksAhead.getAsInt() + waiters;
        Decision decision = choose(model, now, arrived, ahead);
        if (decision instanceof Decision.Go go) {
          Endpoint e = endpoint(go.url());
          if (go.probe()) {
            e.circuit.probeStarted();
          }
          return new Slot(e, go.probe(), e.pace.taken(now, model));
        }
        if (decision instanceof Decision.NoneServes) {
          return null;
        }
        Decision.Wait wait = (Decision.Wait) decision;
        waiters++;
        try {
          if (wait.until() == null) {
            changed.await();
          } else {
            changed.awaitNanos(Math.max(1, Duration.between(now, wait.until()).toNanos()));
          }
        } finally {
          waiters--;
        }
      }
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted while waiting for a free LLM endpoint");
    } finally {
      lock.unlock();
      wake.close();
    }
  }

  /**
   * The routing rule (see the class comment); called with the lock held.
   *
   * @param arrived when the caller began to look for a slot
   * @param ahead how many other tasks wait for a worker or a slot
   */
  Decision choose(String model, Instant now, Instant arrived, long ahead) {
    // Loops, not streams or comparators: this runs for every task, by the interpreter for the
    // first ones after a start, and the JDK's comparator lambdas are generated at run time, past
    // what the AOT cache holds.
    List<Endpoint> serving = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      if (e.route.backend().mayServe(model)) {
        if (e.free() > 0 && e.circuit.probeDue(now)) {
          return new Decision.Go(e.url(), true);
        }
        serving.add(e);
      }
    }
    if (serving.isEmpty()) {
      return new Decision.NoneServes();
    }
    Endpoint free = null; // the closed endpoint with a free slot: quickest, then most free
    Duration freeTypical = null;
    for (Endpoint e : serving) {
      if (e.free() > 0 && e.circuit.state(now) == Circuit.State.CLOSED) {
        Duration typical = e.pace.typical(model).orElse(Duration.ZERO);
        int quicker = free == null ? -1 : typical.compareTo(freeTypical);
        if (quicker < 0 || quicker == 0 && e.free() > free.free()) {
          free = e;
          freeTypical = typical;
        }
      }
    }
    if (free != null) {
      Optional<Instant> worthWaiting = quickerSoon(serving, free, model, now, arrived, ahead);
      if (worthWaiting.isPresent()) {
        return new Decision.Wait(worthWaiting.get());
      }
      return new Decision.Go(free.url(), false);
    }
    Instant nextDue =
        serving.stream()
            .filter(e -> e.circuit.state(now) == Circuit.State.OPEN)
            .map(e -> e.circuit.openUntil())
            .min(Comparator.naturalOrder())
            .orElse(null);
    boolean usable =
        serving.stream()
            .anyMatch(e -> e.circuit.state(now) == Circuit.State.CLOSED || e.circuit.probeDue(now));
    if (usable) {
      return new Decision.Wait(nextDue);
    }
    Endpoint soonest = null; // all set aside: the free one whose pause ends first
    for (Endpoint e : serving) {
      if (e.free() > 0
          && (soonest == null || e.circuit.openUntil().isBefore(soonest.circuit.openUntil()))) {
        soonest = e;
      }
    }
    return soonest != null ? new Decision.Go(soonest.url(), false) : new Decision.Wait(nextDue);
  }

  /** Times the endpoint's generation of the model, without the time to load the model. */
  private void learn(Endpoint e, String model, Generation g) {
    lock.lock();
    try {
      e.pace.finished(model, g.elapsed().minus(g.loadDuration()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Until when it pays to wait for full, quicker endpoints rather than start on {@code free}: while
   * their slots, as they free, could finish this task and the {@code ahead} others before {@code
   * free} would finish this one (counted from the caller's arrival), and at the latest until the
   * last start on a quicker one that still would. Empty when the free slot is needed.
   */
  private static Optional<Instant> quickerSoon(
      List<Endpoint> serving,
      Endpoint free,
      String model,
      Instant now,
      Instant arrived,
      long ahead) {
    Optional<Duration> onFree = free.pace.typical(model);
    if (onFree.isEmpty()) {
      return Optional.empty();
    }
    Instant freeFinishes = arrived.plus(onFree.get());
    long completions = 0;
    Instant until = null;
    for (Endpoint e : serving) {
      Optional<Duration> typical = e.pace.typical(model);
      if (e == free
          || e.free() > 0
          || e.circuit.state(now) != Circuit.State.CLOSED
          || typical.isEmpty()) {
        continue;
      }
      long quicker = e.pace.completionsBy(now, freeFinishes, typical.get());
      if (quicker == 0) {
        continue; // no slot frees in time to finish a task before the free endpoint would
      }
      completions += quicker;
      Instant latestStart = freeFinishes.minus(typical.get());
      if (until == null || latestStart.isAfter(until)) {
        until = latestStart;
      }
    }
    return completions > ahead ? Optional.of(until) : Optional.empty();
  }

  private void release(Slot slot, boolean recorded) {
    lock.lock();
    try {
      slot.endpoint().pace.freed(slot.busy());
      if (slot.probe() && !recorded) {
        slot.endpoint().circuit.inconclusive();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Feeds an outcome to the endpoint's circuit (null: it answered) and to readiness: the LLM is
   * reachable while some endpoint answers at all (a busy answer is an answer).
   */
  private void record(Endpoint e, String model, LlmException.Retryable failure) {
    boolean unreachable = failure != null && failure.failure() == Failure.UNREACHABLE;
    boolean anyReachable;
    boolean opened;
    lock.lock();
    try {
      Instant now = clock.instant();
      Circuit.State before = e.circuit.state(now);
      if (failure == null) {
        e.circuit.succeeded();
      } else {
        e.circuit.failed(now, failure.getMessage(), failure.retryAfter().orElse(null));
      }
      e.unreachable = unreachable;
      opened = before != Circuit.State.OPEN && e.circuit.state(now) == Circuit.State.OPEN;
      anyReachable = false;
      for (Endpoint x : endpoints) {
        anyReachable |= !x.unreachable;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (!unreachable) {
      reachability.reached();
    } else if (!anyReachable) {
      reachability.unreachable(failure.getMessage());
    }
    if (opened && endpoints.size() > 1) {
      log.warn(
          "LLM endpoint {} set aside until {} ({}{}): {}",
          e.url(),
          e.circuit.openUntil(),
          failure.failure().label(),
          model == null ? "" : ", model " + model,
          failure.getMessage());
    }
  }

  private void signalChange() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Each endpoint's state for /ready and /metrics: url, api, state, slots, its typical generation
   * time per model, last error.
   */
  public List<Map<String, Object>> describe() {
    return locked(
        () -> {
          Instant now = clock.instant();
          List<Map<String, Object>> out = new ArrayList<>();
          for (Endpoint e : endpoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", e.url());
            m.put("api", e.route.backend().api());
            Circuit.State state = e.circuit.state(now);
            m.put(
                "state",
                state == Circuit.State.CLOSED ? "up" : state.name().toLowerCase(Locale.ROOT));
            m.put("in_use", e.pace.inUse());
            m.put("capacity", e.route.capacity());
            m.put("typical_ms", e.pace.typicalMillis());
            if (state != Circuit.State.CLOSED) {
              m.put("retry_at", e.circuit.openUntil().toString());
              m.put("last_error", e.circuit.lastError());
            }
            out.add(m);
          }
          return out;
        });
  }

  /** {@link #describe()} with the figures of each endpoint's work so far. */
  public List<Map<String, Object>> describeWithTotals() {
    List<Map<String, Object>> out = describe();
    for (Map<String, Object> m : out) {
      String url = (String) m.get("url");
      m.put("generations", metrics.total(EndpointMetrics.GENERATIONS, url));
      m.put("prompt_tokens", metrics.total(EndpointMetrics.PROMPT_TOKENS, url));
      m.put("completion_tokens", metrics.total(EndpointMetrics.COMPLETION_TOKENS, url));
      m.put("errors", metrics.total(EndpointMetrics.ERRORS, url));
    }
    return out;
  }

  private Endpoint endpoint(String url) {
    return endpoints.stream().filter(e -> e.url().equals(url)).findFirst().orElseThrow();
  }

  private <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for every future; returns the LLM failures among them. */
  private static List<LlmException> awaitAll(List<CompletableFuture<Void>> futures) {
    List<LlmException> failures = new ArrayList<>();
    for (CompletableFuture<Void> f : futures) {
      try {
        f.join();
      } catch (CompletionException x) {
        if (x.getCause() instanceof LlmException l) {
          failures.add(l);
        } else {
          failures.add(new LlmException.Retryable(String.valueOf(x.getCause()), x.getCause()));
        }
      }
    }
    return failures;
  }

  /**
   * One exception for the failures of several endpoints: the only one as it is; Permanent when all
   * were permanent; else Retryable.
   */
  private LlmException combined(List<LlmException> failures, String what) {
    if (failures.size() == 1) {
      return failures.get(0);
    }
    String joined =
        what
            + ": "
            + failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
    if (failures.stream().allMatch(f -> f instanceof LlmException.Permanent)) {
      return new LlmException.Permanent(joined, failures.get(0));
    }
    if (failures.stream().allMatch(f -> f instanceof LlmException.Cancelled)) {
      return failures.get(0);
    }
    Failure kind =
        failures.stream()
            .filter(f -> f instanceof LlmException.Retryable)
            .map(f -> ((LlmException.Retryable) f).failure())
            .findFirst()
            .orElse(Failure.OTHER);
    return new LlmException.Retryable(kind, joined, failures.get(0));
  }
}
