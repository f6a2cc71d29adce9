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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The processor's HTTP/1.1 client for one group of targets (the manager; the LLM servers): pooled
 * keep-alive connections, blocking I/O on the caller's (virtual) thread, and nothing that acts on
 * its own: no retries (a claim must never be sent twice blindly), no redirects, no cookies, no
 * compression, and no background thread (idle connections are checked before reuse instead of being
 * swept by a timer).
 */
public final class HttpTransport implements AutoCloseable {
  /**
   * A pooled connection unused this long is checked before a request goes out on it: servers close
   * idle keep-alive connections, and a POST must not be written into a dead one.
   */
  private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(1);

  private static final ContentType JSON = ContentType.create("application/json");

  /** Fails every TLS handshake: the transport was built for http targets only. */
  private static final TlsSocketStrategy NO_TLS =
      (socket, target, port, attachment, context) -> {
        throw new SSLException(
            "TLS to " + target + " is not configured: the transport was built for http only");
      };

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

  private final CloseableHttpClient client;
  private final RequestConfig defaults;

  private HttpTransport(CloseableHttpClient client, RequestConfig defaults) {
    this.client = client;
    this.defaults = defaults;
  }

  public static HttpTransport create(Settings settings) {
    Timeout connect = Timeout.of(settings.connectTimeout());
    RequestConfig defaults =
        RequestConfig.custom()
            .setConnectionRequestTimeout(connect) // waiting for a free pooled connection
            .setRedirectsEnabled(false)
            .build();
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(settings.maxConnections())
                    .setMaxConnTotal(settings.maxConnections())
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(connect)
                            .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                            .build())
                    .setTlsSocketStrategy(
                        settings.tls() ? DefaultClientTlsStrategy.createSystemDefault() : NO_TLS)
                    .build())
            .setDefaultRequestConfig(defaults)
            .setUserAgent(settings.userAgent())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableContentCompression()
            .disableAuthCaching()
            .build();
    return new HttpTransport(client, defaults);
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
    HttpUriRequestBase request = new HttpUriRequestBase(call.method(), call.uri());
    call.headers().forEach(request::setHeader);
    if (call.body() != null) {
      request.setEntity(new ByteArrayEntity(call.body(), JSON));
    }
    request.setConfig(
        RequestConfig.copy(defaults)
            .setResponseTimeout(
                call.timeout().isZero() ? Timeout.DISABLED : Timeout.of(call.timeout()))
            .build());
    return new HttpStream(client, call, request);
  }

  /** Closes every pooled connection; calls in flight fail. */
  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing sockets that are going away anyway; nothing to report.
    }
  }

  static Map<String, String> headers(HttpResponse response) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : response.getHeaders()) {
      headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
    }
    return headers;
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
        || e instanceof ConnectTimeoutException
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
