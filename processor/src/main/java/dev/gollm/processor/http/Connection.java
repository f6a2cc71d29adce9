package dev.gollm.processor.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to a target: a blocking socket read and written on the calling (virtual)
 * thread. It writes a request and reads a response head; the body is read through {@link
 * ResponseBody}. {@link #close()} may come from any thread and ends a blocked read or write.
 */
final class Connection implements AutoCloseable {
  /** Where a connection goes: scheme, host and port, as pooled connections are shared by them. */
  record Target(boolean tls, String host, int port) {
    static Target of(URI uri) {
      boolean tls = "https".equalsIgnoreCase(uri.getScheme());
      if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
        throw new IllegalArgumentException("not an http or https URL: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("URL without a host: " + uri);
      }
      return new Target(tls, uri.getHost(), uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort());
    }

    /** The Host header's value: the port only when it is not the scheme's default. */
    String hostHeader() {
      return port == (tls ? 443 : 80) ? host : host + ":" + port;
    }

    @Override
    public String toString() {
      return (tls ? "https://" : "http://") + hostHeader();
    }

    // Written out: a record's generated equals and hashCode run through method handles, which
    // the C1-only JIT (processor.jvmopts) does not fold away, and the pool looks a target up for
    // every call.
    @Override
    public boolean equals(Object o) {
      return o instanceof Target t && t.port == port && t.tls == tls && t.host.equals(host);
    }

    @Override
    public int hashCode() {
      return (host.hashCode() * 31 + port) * 2 + (tls ? 1 : 0);
    }
  }

  private static final int BUFFER = 8 << 10;

  private final Target target;

  /** The TCP channel; reads and writes go through {@link #socket}, the channel's own or TLS's. */
  private final SocketChannel channel;

  private final Socket socket;
  private final ConnectionInput in;
  private final OutputStream out;
  private long idleSinceNanos;

  private Connection(Target target, SocketChannel channel, Socket socket) throws IOException {
    this.target = target;
    this.channel = channel;
    this.socket = socket;
    this.in = new ConnectionInput(socket.getInputStream(), BUFFER);
    this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
  }

  /**
   * Connects to {@code target}, with the TLS handshake when it is https.
   *
   * @param tls the socket factory for https targets, null when TLS is not configured
   * @throws ConnectException when no connection could be made within {@code timeout} (also {@link
   *     java.net.UnknownHostException} and {@link java.net.NoRouteToHostException})
   */
  static Connection open(Target target, Duration timeout, SSLSocketFactory tls) throws IOException {
    if (target.tls() && tls == null) {
      throw new SSLException(
          "TLS to " + target + " is not configured: the transport was built for http only");
    }
    // A channel rather than a plain Socket: only a channel can look for a server's close without
    // waiting (isStale), and its socket gives the blocking streams with read timeouts.
    SocketChannel channel = SocketChannel.open();
    Socket socket = channel.socket();
    try {
      socket.setTcpNoDelay(true);
      try {
        socket.connect(new InetSocketAddress(target.host(), target.port()), millis(timeout));
      } catch (SocketTimeoutException e) {
        throw (ConnectException)
            new ConnectException("no connection within " + timeout.toMillis() + " ms").initCause(e);
      }
      if (target.tls()) {
        socket = handshake(tls, socket, target, timeout);
      }
      return new Connection(target, channel, socket);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Socket handshake(
      SSLSocketFactory tls, Socket plain, Target target, Duration timeout) throws IOException {
    SSLSocket socket = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(millis(timeout));
    socket.startHandshake();
    return socket;
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  Target target() {
    return target;
  }

  /** How long each read may wait; {@link Duration#ZERO}: no limit. */
  void readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout(timeout.isZero() ? 0 : millis(timeout));
  }

  /** Writes the request head and body and flushes them in one go. */
  void write(HttpCall call, String userAgent) throws IOException {
    URI uri = call.uri();
    StringBuilder head = new StringBuilder(256);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append(call.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(target.hostHeader()).append("\r\n");
    header(head, "User-Agent", userAgent);
    call.headers().forEach((name, value) -> header(head, name, value));
    byte[] body = call.body();
    if (body != null) {
      header(head, "Content-Type", "application/json");
    }
    if (body != null || !call.method().equals("GET")) {
      header(head, "Content-Length", Integer.toString(body == null ? 0 : body.length));
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  private static void header(StringBuilder head, String name, String value) {
    if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("not a header name: " + name);
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header " + name + ": a value with a line break");
    }
    head.append(name).append(": ").append(value).append("\r\n");
  }

  /**
   * Reads the response head (skipping interim 1xx answers).
   *
   * @throws HttpFailure.Broken when the connection closes first or the head is not HTTP
   */
  ResponseHead readHead() throws IOException {
    while (true) {
      ResponseHead head = ResponseHead.read(in);
      if (head.status() >= 200 || head.status() == 101) {
        return head;
      }
    }
  }

  /** The response body, framed by the head; {@code head} answers a request of {@code method}. */
  ResponseBody body(ResponseHead head, String method) throws IOException {
    return ResponseBody.of(head, method, in);
  }

  /**
   * Whether the server has closed this idle connection (or sent something unasked). Only for a
   * connection not in use. A plain connection is read without blocking: no wait, no exception. TLS
   * must go through its engine (a raw read would take its records away), with a read that waits a
   * millisecond and must time out.
   */
  boolean isStale() {
    try {
      if (in.available() > 0) {
        return true;
      }
      if (target.tls()) {
        socket.setSoTimeout(1);
        in.read(); // data nobody asked for, or the end of the stream: unusable either way
        return true;
      }
      channel.configureBlocking(false);
      try {
        return channel.read(ByteBuffer.allocate(1)) != 0; // -1: closed; 1: data nobody asked for
      } finally {
        channel.configureBlocking(true);
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  void idleSince(long nanos) {
    idleSinceNanos = nanos;
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  /** Closes the socket; a read or write blocked on it, on any thread, fails at once. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket that is going away anyway; nothing to report.
    }
  }
}
