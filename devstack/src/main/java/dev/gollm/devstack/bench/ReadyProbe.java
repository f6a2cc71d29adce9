package dev.gollm.devstack.bench;

import dev.gollm.devstack.process.ProcessorProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a starting processor's {@code /ready} every {@link #STEP} until it answers 200, and says how
 * long that took from the moment the JVM was spawned. A separate process offers nothing to wait on,
 * so a timer does the asking; the step bounds the reading's resolution.
 */
public final class ReadyProbe {
  /** Time between two asks. */
  public static final Duration STEP = Duration.ofMillis(10);

  private final HttpClient http;
  private final ScheduledExecutorService timer;

  public ReadyProbe(HttpClient http, ScheduledExecutorService timer) {
    this.http = http;
    this.timer = timer;
  }

  /**
   * Waits until {@code process} answers 200 on {@code readyUri}; the time from spawn to that
   * answer.
   *
   * @throws BenchException when the process exits first or {@code timeout} passes
   */
  public Duration await(ProcessorProcess process, URI readyUri, Duration timeout)
      throws InterruptedException {
    CompletableFuture<Long> ready = new CompletableFuture<>();
    HttpRequest request =
        HttpRequest.newBuilder(readyUri).timeout(Duration.ofSeconds(2)).GET().build();
    ScheduledFuture<?> asking =
        timer.scheduleWithFixedDelay(
            () -> ask(process, request, ready), 0, STEP.toNanos(), TimeUnit.NANOSECONDS);
    try {
      long at = ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return Duration.ofNanos(at - process.startedNanos());
    } catch (TimeoutException e) {
      throw new BenchException(
          "processor " + process.name() + " was not ready at " + readyUri + " within " + timeout);
    } catch (ExecutionException e) {
      throw new BenchException(e.getCause().getMessage());
    } finally {
      asking.cancel(false);
    }
  }

  private void ask(ProcessorProcess process, HttpRequest request, CompletableFuture<Long> ready) {
    if (ready.isDone()) {
      return;
    }
    try {
      if (!process.isAlive()) {
        int status = process.awaitExit(Duration.ofSeconds(1));
        ready.completeExceptionally(
            new BenchException(
                "processor "
                    + process.name()
                    + " exited with status "
                    + status
                    + " before it was ready; its last lines:\n"
                    + String.join("\n", process.lastLines(20))));
        return;
      }
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        ready.complete(System.nanoTime());
      }
    } catch (IOException e) {
      // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
