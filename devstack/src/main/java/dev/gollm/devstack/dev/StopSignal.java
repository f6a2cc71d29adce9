package dev.gollm.devstack.dev;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into an orderly stop of the dev stack. The JVM runs shutdown
 * hooks on these signals but then exits with 130 or 143; so the hook completes {@link
 * #requested()}, waits for the main thread to report that it stopped everything, and halts with the
 * status it reports (0 when orderly).
 */
final class StopSignal implements AutoCloseable {
  private final CompletableFuture<Void> requested = new CompletableFuture<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger exitStatus = new AtomicInteger(1);
  private final Duration finishTimeout;
  private final Thread hook;

  private StopSignal(Duration finishTimeout) {
    this.finishTimeout = finishTimeout;
    this.hook = new Thread(this::onShutdown, "dev-stop-signal");
  }

  /** Registers the hook; a signalled stop taking longer than {@code finishTimeout} exits 1. */
  static StopSignal install(Duration finishTimeout) {
    StopSignal signal = new StopSignal(finishTimeout);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** Completes when a signal asks the stack to stop. */
  CompletableFuture<Void> requested() {
    return requested;
  }

  /** Reports that stopping is done; a waiting hook then ends the process with {@code status}. */
  void finish(int status) {
    exitStatus.set(status);
    finished.countDown();
  }

  private void onShutdown() {
    requested.complete(null);
    boolean done;
    try {
      done = finished.await(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      done = false;
    }
    if (!done) {
      System.err.println("devstack dev: stopping took longer than " + finishTimeout + "; exiting");
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? exitStatus.get() : 1);
  }

  /** Removes the hook unless a signal already arrived (then the hook ends the process). */
  @Override
  public void close() {
    if (requested.isDone()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs and halts with the status given to finish.
    }
  }
}
