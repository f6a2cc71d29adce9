package dev.gollm.processor.intake.sse;

import dev.gollm.processor.http.HttpCall;
import dev.gollm.processor.http.HttpFailure;
import dev.gollm.processor.http.HttpStream;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.intake.sse.StreamEnd.Reason;
import dev.gollm.processor.sse.SseEvent;
import dev.gollm.processor.sse.SseEventParser;
import dev.gollm.processor.sse.SseLineTooLongException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection at a time to the manager's task stream: opens it, reads events on the calling
 * thread and hands them, decoded, to a {@link Listener}, and says in a {@link StreamEnd} why it
 * ended. A watchdog on the given scheduler closes a stream that stays silent for the heartbeat
 * timeout or outlives the client's max duration; {@link #close()} from any thread ends the current
 * read promptly and every later one at once.
 */
public final class TaskStreamClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskStreamClient.class);
  private static final String EVENT_STREAM = "text/event-stream";
  private static final int LOGGED_DATA_CHARS = 300;

  /** Receives what one connection delivers, on the thread that called {@link #stream}. */
  public interface Listener {
    /** The server answered 200 with an event stream. */
    void onConnected();

    /**
     * One decoded event; exceptions thrown here are logged and do not end the connection. Return
     * quickly: the stream is not read meanwhile, and a long stall counts as silence.
     */
    void onEvent(ManagerStreamEvent event);
  }

  private final SseSettings settings;
  private final HttpTransport http;
  private final ScheduledExecutorService scheduler;
  private final ManagerEventDecoder decoder;
  private final Clock clock;
  private final URI uri;
  private final AtomicReference<Connection> current = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * @param http the manager's transport; the wait for the response headers is bounded here
   * @param scheduler runs the silence and max-duration watchdogs; not shut down here
   */
  public TaskStreamClient(
      SseSettings settings,
      HttpTransport http,
      ScheduledExecutorService scheduler,
      ManagerEventDecoder decoder,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = Objects.requireNonNull(http, "http");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uri = settings.streamUri();
  }

  /**
   * Opens the stream and reads it until it ends; blocks the calling (virtual) thread. Only one
   * stream may run at a time.
   */
  public StreamEnd stream(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    Connection connection = new Connection();
    if (!current.compareAndSet(null, connection)) {
      throw new IllegalStateException("a task stream is already running on this client");
    }
    try {
      if (closed) {
        connection.end(Reason.CLOSED, "client closed");
      } else {
        run(connection, listener);
      }
      return connection.result();
    } finally {
      connection.end(Reason.CLOSED, "client closed");
      current.compareAndSet(connection, null);
    }
  }

  /** Ends the running stream, if any, and makes every later {@link #stream} return at once. */
  @Override
  public void close() {
    closed = true;
    Connection connection = current.get();
    if (connection != null) {
      connection.end(Reason.CLOSED, "client closed");
    }
  }

  private void run(Connection connection, Listener listener) {
    HttpStream stream = open(connection);
    if (stream == null) {
      return;
    }
    int status = stream.status();
    if (status != 200) {
      stream.close();
      connection.failed(
          status == 401 ? Reason.UNAUTHORIZED : Reason.HTTP_ERROR,
          status,
          status == 401
              ? "manager rejected the API key (HTTP 401) at " + uri
              : "manager answered HTTP " + status + " at " + uri + "; expected 200");
      return;
    }
    String contentType = stream.header("Content-Type").orElse("");
    if (!contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
      stream.close();
      connection.end(
          Reason.NOT_EVENT_STREAM,
          "manager answered 200 with Content-Type '"
              + contentType
              + "' at "
              + uri
              + "; expected text/event-stream (wrong SSE_ENDPOINT?)");
      return;
    }
    if (!connection.attach(stream.body())) {
      return; // closed while the headers were on their way
    }
    try (stream) {
      log.info("task stream connected: {}", uri);
      deliverConnected(listener);
      read(connection, listener);
    }
  }

  /**
   * Sends the request and waits for the response headers, at most the connect timeout; returns null
   * (with the connection ended) when there is no response. The body has no read timeout: the
   * silence watchdog bounds it.
   */
  private HttpStream open(Connection connection) {
    HttpStream stream =
        http.stream(
            HttpCall.get(uri, Duration.ZERO)
                .withHeader("Authorization", "Bearer " + settings.apiKey())
                .withHeader("Accept", EVENT_STREAM)
                .withHeader("Cache-Control", "no-cache"));
    if (!connection.pending(stream)) {
      return null;
    }
    Duration limit = settings.connectTimeout();
    Future<?> guard =
        scheduler.schedule(
            () ->
                connection.end(
                    Reason.CONNECT_FAILED, "no response headers from " + uri + " within " + limit),
            limit.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      stream.send();
      return stream;
    } catch (HttpFailure.Aborted e) {
      // The guard or close() ended the attempt and set its reason; this one only counts otherwise.
      connection.end(
          Reason.CLOSED,
          Thread.currentThread().isInterrupted()
              ? "interrupted while connecting"
              : "client closed while connecting");
    } catch (HttpFailure e) {
      connection.end(Reason.CONNECT_FAILED, "cannot connect to " + uri + ": " + describe(e));
    } finally {
      guard.cancel(false);
    }
    return null;
  }

  private void read(Connection connection, Listener listener) {
    SseEventParser parser =
        new SseEventParser(connection.body(), settings.maxLineBytes(), connection::touch);
    connection.startWatchdogs();
    try {
      SseEvent event;
      while ((event = parser.next()) != null) {
        connection.events++;
        ManagerStreamEvent decoded;
        try {
          decoded = decoder.decode(event.data());
        } catch (ManagerEventDecodeException e) {
          log.warn("skipping an undecodable task-stream event: {}", e.getMessage());
          continue;
        }
        deliverEvent(listener, decoded);
        if (decoded instanceof ManagerStreamEvent.StreamError error) {
          connection.end(
              Reason.SERVER_ENDED,
              "manager ended the stream: "
                  + error.message()
                  + (error.maxDuration() == null
                      ? ""
                      : " (maxDuration " + error.maxDuration() + ")"));
          return;
        }
      }
      connection.end(Reason.EOF, "manager closed the stream");
    } catch (SseLineTooLongException e) {
      connection.end(Reason.BROKEN, e.getMessage());
    } catch (IOException e) {
      // A watchdog or close() that closed the body has already set the real reason.
      if (Thread.currentThread().isInterrupted()) {
        connection.end(Reason.CLOSED, "interrupted while reading");
      } else {
        connection.end(Reason.BROKEN, "reading the stream failed: " + describe(e));
      }
    }
  }

  private void deliverConnected(Listener listener) {
    try {
      listener.onConnected();
    } catch (RuntimeException e) {
      log.error("task-stream listener failed on connect", e);
    }
  }

  private void deliverEvent(Listener listener, ManagerStreamEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.error("task-stream listener failed on {}", abbreviate(event.toString()), e);
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private static String abbreviate(String s) {
    return s.length() <= LOGGED_DATA_CHARS ? s : s.substring(0, LOGGED_DATA_CHARS) + "...";
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing a task-stream body failed", e);
    }
  }

  /**
   * One attempt's state. The first {@link #end} wins: whoever ends it (reader, watchdog, close)
   * records the reason and closes the body, which wakes the reader.
   */
  private final class Connection {
    private final long silenceNanos = settings.heartbeatTimeout().toNanos();
    private volatile long lastReadNanos;
    // Written only by the reading thread; read by it when building the result.
    long events;

    private Reason reason;
    private String detail;
    private int status;
    private Instant connectedAt;
    private Instant endedAt;
    private InputStream body;
    private HttpStream pending;
    private Future<?> silenceCheck;
    private Future<?> expiry;

    /** Records the exchange; false when the attempt already ended. */
    synchronized boolean pending(HttpStream stream) {
      if (reason != null) {
        return false;
      }
      pending = stream;
      return true;
    }

    /** Takes the response body; false when the attempt already ended (the body is closed). */
    boolean attach(InputStream in) {
      synchronized (this) {
        if (reason == null) {
          body = in;
          connectedAt = clock.instant();
          lastReadNanos = System.nanoTime();
          return true;
        }
      }
      closeQuietly(in);
      return false;
    }

    synchronized InputStream body() {
      return body;
    }

    void touch() {
      lastReadNanos = System.nanoTime();
    }

    synchronized void startWatchdogs() {
      if (reason != null) {
        return;
      }
      silenceCheck = scheduler.schedule(this::checkSilence, silenceNanos, TimeUnit.NANOSECONDS);
      Duration max = settings.clientMaxDuration();
      expiry =
          scheduler.schedule(
              () ->
                  end(
                      Reason.EXPIRED,
                      "closed after " + max + ", ahead of the server's " + settings.maxDuration()),
              max.toNanos(),
              TimeUnit.NANOSECONDS);
    }

    private void checkSilence() {
      long remaining = silenceNanos - (System.nanoTime() - lastReadNanos);
      if (remaining <= 0) {
        end(Reason.SILENT, "no data for " + settings.heartbeatTimeout());
        return;
      }
      synchronized (this) {
        if (reason == null) {
          silenceCheck = scheduler.schedule(this::checkSilence, remaining, TimeUnit.NANOSECONDS);
        }
      }
    }

    void failed(Reason why, int httpStatus, String explanation) {
      synchronized (this) {
        if (reason == null) {
          status = httpStatus;
        }
      }
      end(why, explanation);
    }

    void end(Reason why, String explanation) {
      HttpStream toAbort;
      synchronized (this) {
        if (reason != null) {
          return;
        }
        reason = why;
        detail = explanation;
        endedAt = clock.instant();
        toAbort = pending;
        if (silenceCheck != null) {
          silenceCheck.cancel(false);
        }
        if (expiry != null) {
          expiry.cancel(false);
        }
      }
      if (toAbort != null) {
        // Wakes the reader or the connecting thread, which closes the stream; the connection is
        // not reused.
        toAbort.abort();
      }
    }

    synchronized StreamEnd result() {
      boolean connected = connectedAt != null;
      Duration connectedFor = connected ? Duration.between(connectedAt, endedAt) : Duration.ZERO;
      if (connectedFor.isNegative()) {
        connectedFor = Duration.ZERO; // the clock was set back meanwhile
      }
      return new StreamEnd(reason, connected, events, connectedFor, status, detail);
    }
  }
}
