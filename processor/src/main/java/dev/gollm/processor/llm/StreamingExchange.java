package dev.gollm.processor.llm;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpStream;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.LlmException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed generation exchange with an LLM server, as every API needs it: abortable from any
 * thread (the task's cancel signal closes the stream, which frees the server's slot), bounded by a
 * total deadline and, once data flows, by an idle limit between pieces of data. The API's client
 * supplies how to read the answer and what a failed connection means; timeouts and cancellations
 * are told apart here, the same way for every API.
 */
public final class StreamingExchange {
  private static final Logger log = LoggerFactory.getLogger(StreamingExchange.class);

  /** Reads the answer once the response headers are in; throws {@link LlmException}s. */
  @FunctionalInterface
  public interface Reader {
    Generation read(HttpStream response, StreamingExchange exchange) throws IOException;
  }

  /**
   * What a transport failure that is neither a timeout nor a cancellation means for this API.
   *
   * @param streaming whether the response had arrived (the stream broke) or not (no connection)
   */
  @FunctionalInterface
  public interface TransportFailure {
    LlmException map(Throwable cause, boolean streaming);
  }

  /** How long the end of a body may take to follow the answer before the connection is dropped. */
  private static final Duration DRAIN_LIMIT = Duration.ofMillis(100);

  /** Most bytes read after the answer: more means the server sends something else. */
  private static final long DRAIN_MAX_BYTES = 16 * 1024;

  private final ScheduledExecutorService timers;
  private final Duration total;
  private final Duration idle;
  private final long startNanos = System.nanoTime();
  private final AtomicLong lastDataNanos = new AtomicLong();
  private final HttpStream stream;
  private volatile boolean answered;
  private volatile String timeoutReason;
  private volatile boolean aborted;
  private boolean idleClockStarted;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> idleCheck;

  private StreamingExchange(
      HttpStream stream, ScheduledExecutorService timers, Duration total, Duration idle) {
    this.stream = stream;
    this.timers = timers;
    this.total = total;
    this.idle = idle;
  }

  /**
   * Sends {@code call} and reads its streamed answer with {@code reader}, within {@code total} and
   * with at most {@code idle} between pieces of data once the first has arrived (see {@link
   * #dataArrived()}). The call's own timeout should be {@code total}: the deadline here ends it.
   */
  public static Generation run(
      HttpTransport http,
      ScheduledExecutorService timers,
      Duration total,
      Duration idle,
      HttpCall call,
      CancelSignal cancel,
      Reader reader,
      TransportFailure transport) {
    StreamingExchange exchange = new StreamingExchange(http.stream(call), timers, total, idle);
    CancelSignal.Registration onCancel = cancel.onCancel(() -> exchange.abort(null));
    try {
      exchange.deadline =
          timers.schedule(
              () -> exchange.abort("no complete answer within " + total.toSeconds() + "s"),
              total.toNanos(),
              TimeUnit.NANOSECONDS);
      Generation answer = exchange.exchange(cancel, reader, transport);
      exchange.drainRest();
      return answer;
    } finally {
      onCancel.close();
      exchange.finish();
    }
  }

  /** {@link System#nanoTime()} when the exchange began, for the answer's own timings. */
  public long startNanos() {
    return startNanos;
  }

  /** Data arrived: restarts the idle limit; the first call starts it. */
  public void dataArrived() {
    lastDataNanos.set(System.nanoTime());
    boolean first;
    synchronized (this) {
      first = !idleClockStarted;
      idleClockStarted = true;
    }
    if (first) {
      scheduleIdleCheck(idle.toNanos());
    }
  }

  private Generation exchange(CancelSignal cancel, Reader reader, TransportFailure transport) {
    try {
      stream.send();
      answered = true;
      return reader.read(stream, this);
    } catch (IOException e) {
      throw failure(e, cancel, transport);
    }
  }

  /**
   * Reads what follows the answer, normally just the end of the chunked body, so the connection
   * goes back to the pool: closing a body before its end drops the connection, and the next
   * generation would wait for a new one. Bounded in time and bytes; the answer stands either way.
   */
  private void drainRest() {
    if (stream.readToTheEnd()) {
      return; // a whole answer, read to its last byte
    }
    InputStream in = stream.body();
    ScheduledFuture<?> guard =
        timers.schedule(stream::abort, DRAIN_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    try {
      byte[] buffer = new byte[256];
      long read = 0;
      int n;
      while (read < DRAIN_MAX_BYTES && (n = in.read(buffer)) >= 0) {
        read += n;
      }
    } catch (IOException e) {
      log.trace("draining the stream after the answer", e);
    } finally {
      guard.cancel(false);
    }
  }

  private LlmException failure(IOException cause, CancelSignal cancel, TransportFailure transport) {
    if (aborted) {
      String timeout = timeoutReason;
      return timeout != null
          ? new LlmException.Retryable(Failure.TIMEOUT, timeout, null)
          : new LlmException.Cancelled(String.valueOf(cancel.reason()));
    }
    if (cause instanceof HttpFailure.Aborted) {
      return new LlmException.Cancelled("interrupted"); // not by this exchange: an interrupt
    }
    if (cause instanceof HttpFailure.TimedOut) {
      return new LlmException.Retryable(
          Failure.TIMEOUT, "no answer within " + total.toSeconds() + "s", cause);
    }
    return transport.map(cause, answered);
  }

  /** Aborts the exchange; a null reason means an outside cancellation. */
  private void abort(String timeout) {
    synchronized (this) {
      if (aborted) {
        return;
      }
      aborted = true;
      timeoutReason = timeout;
    }
    stream.abort();
  }

  private void finish() {
    if (deadline != null) {
      deadline.cancel(false);
    }
    synchronized (this) {
      if (idleCheck != null) {
        idleCheck.cancel(false);
      }
    }
    stream.close();
  }

  private void scheduleIdleCheck(long delayNanos) {
    synchronized (this) {
      if (aborted) {
        return;
      }
      idleCheck = timers.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkIdle() {
    long silent = System.nanoTime() - lastDataNanos.get();
    long limit = idle.toNanos();
    if (silent >= limit) {
      abort("stream stalled: no data for " + idle.toMillis() + " ms");
    } else {
      scheduleIdleCheck(limit - silent);
    }
  }
}
