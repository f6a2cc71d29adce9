package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.LlmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * At most one run of a piece of work per key (a model's pull, its load), on a thread of its own,
 * awaited by every caller asking meanwhile. A caller that stops waiting (its lease lost, a
 * shutdown) never stops the run the others wait for; once nobody waits, the run is told through its
 * {@code abandoned} signal, so it starts no further attempt, and the next caller starts afresh.
 */
final class SharedWork {
  /** The work; it may watch {@code abandoned} to stop between attempts. */
  @FunctionalInterface
  interface Work {
    void run(CancelSignal abandoned);
  }

  private static final class Run {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CancelSignal abandoned = new CancelSignal();
    int waiters;
  }

  private final Map<String, Run> runs = new HashMap<>();

  /**
   * Runs {@code work} for {@code key} unless a run is in progress, and waits for that run at most
   * {@code patience}.
   *
   * @throws LlmException what the work threw; {@link LlmException.Cancelled} when {@code cancel}
   *     fired first; {@link LlmException.Retryable} when the patience ran out
   */
  void await(String key, Work work, Duration patience, CancelSignal cancel) {
    Run run;
    boolean starts = false;
    synchronized (this) {
      run = runs.get(key);
      if (run == null) {
        run = new Run();
        runs.put(key, run);
        starts = true;
      }
      run.waiters++;
    }
    if (starts) {
      Run started = run;
      Thread.ofVirtual().name(key).start(() -> execute(key, started, work));
    }
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    CancelSignal.Registration registration = cancel.onCancel(() -> cancelled.complete(null));
    try {
      CompletableFuture.anyOf(run.done, cancelled).get(patience.toNanos(), TimeUnit.NANOSECONDS);
      if (!run.done.isDone()) {
        throw new LlmException.Cancelled("stopped waiting for " + key + ": " + cancel.reason());
      }
      run.done.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof LlmException l
          ? l
          : new LlmException.Retryable(key + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LlmException.Retryable("waited " + patience + " for " + key, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted while waiting for " + key);
    } finally {
      registration.close();
      leave(key, run);
    }
  }

  /** How many callers wait for the key's run now (0 when none runs). */
  synchronized int waiters(String key) {
    Run run = runs.get(key);
    return run == null ? 0 : run.waiters;
  }

  private void leave(String key, Run run) {
    synchronized (this) {
      run.waiters--;
      if (run.waiters > 0 || run.done.isDone()) {
        return;
      }
      runs.remove(key, run);
    }
    run.abandoned.cancel("nobody waits for " + key + " any more");
  }

  private void execute(String key, Run run, Work work) {
    try {
      work.run(run.abandoned);
      run.done.complete(null);
    } catch (RuntimeException e) {
      run.done.completeExceptionally(e);
    } finally {
      synchronized (this) {
        runs.remove(key, run);
      }
    }
  }
}
