package dev.gollm.processor.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The processor's HTTP/1.1 client for one group of targets (the manager; the LLM servers): pooled
 * keep-alive connections, blocking I/O on the caller's (virtual) thread, and nothing that acts on
 * its own: no retries (a claim must never be sent twice blindly), no redirects, no cookies, no
 * compression, and no background thread (idle connections are checked before reuse instead of being
 * swept by a timer).
 */
public final class HttpTransport implements AutoCloseable {
  /**
   * How the transport is built.
   *
   * @param tls whether any target is https; without it no TLS context (and no trust store) is
   *     loaded, which saves start-up CPU and memory
   * @param maxConnections the most open connections, per target and in all
   */
  public record Settings(
      Duration connectTimeout, boolean tls, String userAgent, int maxConnections) {
    public Settings {
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException(
            "connectTimeout must be positive, got " + connectTimeout);
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, got " + maxConnections);
      }
    }

    /** Settings for these targets: TLS only when one of them is https. */
    public static Settings forTargets(
        Collection<URI> targets, Duration connectTimeout, String userAgent, int maxConnections) {
      boolean tls = targets.stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme()));
      return new Settings(connectTimeout, tls, userAgent, maxConnections);
    }
  }

  private final ConnectionPool pool;
  private final String userAgent;
  private final Runnable written;

  HttpTransport(ConnectionPool pool, String userAgent, Runnable written) {
    this.pool = pool;
    this.userAgent = userAgent;
    this.written = written;
  }

  /** A pooled connection unused this long is checked for a close by the server before reuse. */
  private static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(1);

  public static HttpTransport create(Settings settings) {
    return create(settings, () -> {});
  }

  /**
   * A transport that runs {@code written} on the sending thread each time a request has been
   * written, before its answer is awaited: the moment the server has the work.
   */
  public static HttpTransport create(Settings settings, Runnable written) {
    SSLSocketFactory tls = settings.tls() ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null;
    return new HttpTransport(
        new ConnectionPool(
            settings.maxConnections(), settings.connectTimeout(), tls, VALIDATE_AFTER_IDLE),
        settings.userAgent(),
        written);
  }

  /**
   * Sends {@code call} and reads its answer, at most {@code maxBodyBytes} of it: a longer body is
   * cut there ({@link HttpAnswer#truncated()}) and its connection dropped.
   */
  public HttpAnswer exchange(HttpCall call, int maxBodyBytes) throws HttpFailure {
    try (HttpStream stream = stream(call)) {
      stream.send();
      InputStream body = stream.body();
      byte[] bytes = body.readNBytes(maxBodyBytes);
      boolean truncated = body.read() >= 0;
      return new HttpAnswer(stream.status(), stream.headers(), bytes, truncated);
    } catch (IOException e) {
      throw failure(call, e, false);
    }
  }

  /**
   * An exchange whose answer is read as a stream; nothing is sent before {@link HttpStream#send()}.
   */
  public HttpStream stream(HttpCall call) {
    return new HttpStream(pool, call, userAgent, written);
  }

  /** Closes every connection; calls in flight fail. */
  @Override
  public void close() {
    pool.close();
  }

  /** The typed failure for what the library threw; {@code aborted}: the caller ended it. */
  static HttpFailure failure(HttpCall call, IOException e, boolean aborted) {
    if (e instanceof HttpFailure f) {
      return f;
    }
    String message = call.method() + " " + call.uri() + ": " + describe(e);
    if (aborted) {
      return new HttpFailure.Aborted(message, e);
    }
    if (Thread.currentThread().isInterrupted()) {
      return new HttpFailure.Aborted(message + " (interrupted)", e);
    }
    if (e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException) {
      return new HttpFailure.Unreachable(message, e);
    }
    if (e instanceof SocketTimeoutException) {
      return new HttpFailure.TimedOut(message, e);
    }
    return new HttpFailure.Broken(message, e);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
