package dev.gollm.processor.intake.sse;

import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.schedule.RoleThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the manager's task stream connected on one virtual thread: reconnects at once after the
 * planned ends (max duration, the manager's error event) and after a healthy stream breaks, and
 * with capped exponential backoff and jitter after failures. After {@code maxReconnectAttempts}
 * failures in a row it reports push lost (the intake polls instead) and keeps trying in the
 * background; the next successful connect reports push up again.
 */
public final class SseSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SseSupervisor.class);

  /** What the intake hears from the stream; called on the supervisor's thread. */
  public interface Listener {
    /**
     * A decoded event from the manager (heartbeats included). Return quickly (signal a wake-up,
     * never claim here): the stream is not read meanwhile.
     */
    void onEvent(ManagerStreamEvent event);

    /** The stream is (again) connected: push delivers wake-ups. */
    void onPushUp();

    /** The stream failed {@code maxReconnectAttempts} times in a row: fall back to polling. */
    void onPushDown();
  }

  private final SseSettings settings;
  private final Listener listener;
  private final TaskStreamClient client;
  private final ReconnectPolicy policy;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Thread thread;
  private volatile boolean pushUp;

  /**
   * @param http the transport for the stream (the manager's); not closed here
   * @param watchdogs runs the silence and max-duration watchdogs; not shut down here
   * @param jitter the randomness of the reconnect backoff (seeded in tests)
   * @param clock measures how long connections last (a healthy one resets the backoff)
   */
  public SseSupervisor(
      SseSettings settings,
      Listener listener,
      HttpTransport http,
      ScheduledExecutorService watchdogs,
      RandomGenerator jitter,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.client = new TaskStreamClient(settings, http, watchdogs, new ManagerEventDecoder(), clock);
    this.policy =
        new ReconnectPolicy(
            settings.reconnectInterval(),
            settings.maxReconnectDelay(),
            settings.maxReconnectAttempts(),
            settings.reconnectInterval(),
            jitter);
  }

  /** Starts the connection loop on a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("the SSE supervisor was already started");
    }
    if (stop.getCount() == 0) {
      throw new IllegalStateException("the SSE supervisor was closed");
    }
    thread = RoleThreads.unstarted("sse-supervisor", this::loop);
    thread.start();
  }

  /** True while the stream is considered up (connected, and not yet lost). */
  public boolean isPushUp() {
    return pushUp;
  }

  /** True once the loop's thread has finished. */
  boolean isStopped() {
    return stopped.getCount() == 0;
  }

  /**
   * Stops the loop and the current connection and waits (bounded by the connect timeout) until the
   * loop's thread has finished.
   */
  @Override
  public void close() {
    stop.countDown();
    client.close();
    boolean started;
    synchronized (this) {
      started = thread != null;
    }
    try {
      if (started
          && !stopped.await(
              settings.connectTimeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("the SSE supervisor did not stop within the connect timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    log.info("task stream supervisor started: {}", settings);
    TaskStreamClient.Listener connectionListener =
        new TaskStreamClient.Listener() {
          @Override
          public void onConnected() {
            if (policy.connected()) {
              pushUp = true;
              log.info("push is up: the task stream is connected");
              tell("onPushUp", listener::onPushUp);
            }
          }

          @Override
          public void onEvent(ManagerStreamEvent event) {
            listener.onEvent(event); // the client catches and logs a listener's failure
          }
        };
    try {
      while (stop.getCount() > 0) {
        StreamEnd end = client.stream(connectionListener);
        if (end.reason() == StreamEnd.Reason.CLOSED) {
          break;
        }
        ReconnectPolicy.Decision decision = policy.ended(end);
        logEnd(end, decision);
        if (decision.pushLost()) {
          pushUp = false;
          log.warn(
              "push is lost after {} failed connections in a row; polling takes over while"
                  + " reconnecting in the background",
              decision.failuresInRow());
          tell("onPushDown", listener::onPushDown);
        }
        if (!decision.delay().isZero()
            && stop.await(decision.delay().toNanos(), TimeUnit.NANOSECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      log.info("task stream supervisor stopped");
      stopped.countDown();
    }
  }

  private static void logEnd(StreamEnd end, ReconnectPolicy.Decision decision) {
    Duration delay = decision.delay();
    switch (end.reason()) {
      case EXPIRED, SERVER_ENDED ->
          log.info("task stream ended ({}): {}; reconnecting", end.reason(), end.detail());
      case UNAUTHORIZED ->
          log.error(
              "task stream refused: {} (check INTERNAL_API_KEY); retry {} in {} ms",
              end.detail(),
              decision.failuresInRow(),
              delay.toMillis());
      default ->
          log.warn(
              "task stream ended ({}): {}; {}",
              end.reason(),
              end.detail(),
              delay.isZero()
                  ? "reconnecting"
                  : "failure "
                      + decision.failuresInRow()
                      + ", retry in "
                      + delay.toMillis()
                      + " ms");
    }
  }

  private static void tell(String callback, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("SSE supervisor listener failed in {}", callback, e);
    }
  }
}
