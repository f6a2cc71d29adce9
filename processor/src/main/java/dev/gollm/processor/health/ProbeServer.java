package dev.gollm.processor.health;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The least HTTP/1.1 server that probes and scrapers need: one request per connection (answered
 * with {@code Connection: close}), no request bodies, a bounded request head read within a time
 * limit. Blocking I/O on a virtual thread per connection and one accepting thread: an idle server
 * takes no CPU and wakes for nothing (the JDK's HttpServer polls its selector every second).
 */
final class ProbeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeServer.class);

  /** Longest request head (request line and headers) accepted. */
  static final int MAX_HEAD_BYTES = 16 * 1024;

  /** The pause after a failed accept before the next, so a lasting failure cannot spin. */
  static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

  /** How long a client may take to send its request head. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** A request: its method, its path without the query, its headers by lower-case name. */
  record Request(String method, String path, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer; {@code headers} are added to Content-Type, Content-Length and Connection. */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }
  }

  /** Answers a request; runs on the connection's virtual thread. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request);
  }

  /** A request the server cannot parse: answered 400 without calling the handler. */
  private static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private final ServerSocket socket;
  private final Handler handler;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private ProbeServer(ServerSocket socket, Handler handler) {
    this.socket = socket;
    this.handler = handler;
    this.acceptor = Thread.ofVirtual().name("health-accept").unstarted(this::accept);
  }

  /** Binds {@code address} and starts answering with {@code handler}. */
  static ProbeServer start(InetSocketAddress address, Handler handler) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    ProbeServer server = new ProbeServer(socket, handler);
    server.acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    int failuresInRow = 0;
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
        failuresInRow = 0;
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // Such as too many open files: log the first of a series, and let the cause pass.
        if (failuresInRow++ == 0) {
          log.warn("health server: accept failed: {}", e.toString());
        }
        pauseAfterFailure();
        continue;
      }
      open.add(connection);
      Thread.ofVirtual().name("health-request").start(() -> serve(connection));
    }
  }

  private static void pauseAfterFailure() {
    try {
      Thread.sleep(ACCEPT_RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout((int) READ_TIMEOUT.toMillis());
      connection.setTcpNoDelay(true);
      Request request;
      Response response;
      try {
        request = parse(new BufferedInputStream(connection.getInputStream(), 1024));
        response = handler.handle(request);
      } catch (BadRequest e) {
        request = null;
        response =
            new Response(
                400,
                "text/plain; charset=utf-8",
                ("bad request: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      write(
          connection.getOutputStream(),
          response,
          request != null && "HEAD".equals(request.method()));
    } catch (IOException e) {
      // The client went away, was too slow, or close() ended the connection.
      log.debug("health request aborted: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("health request failed", e);
    } finally {
      open.remove(connection);
    }
  }

  private static Request parse(InputStream in) throws IOException, BadRequest {
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new BadRequest("expected a request line such as \"GET /ready HTTP/1.1\"");
    }
    String target = requestLine[1];
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("expected a header \"Name: value\", got \"" + lines[i] + "\"");
      }
      headers.merge(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(),
          (a, b) -> a + "," + b);
    }
    return new Request(requestLine[0], path, headers);
  }

  /** The request head up to the blank line, without it. */
  private static String readHead(InputStream in) throws IOException, BadRequest {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int matched = 0; // how much of "\r\n\r\n" the last bytes were
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new BadRequest("the connection ended inside the request head");
      }
      head.write(b);
      if ((b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1)) {
        matched++;
      } else {
        matched = b == '\r' ? 1 : 0;
      }
      if (matched == 4) {
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
      }
      if (head.size() > MAX_HEAD_BYTES) {
        throw new BadRequest("request head longer than " + MAX_HEAD_BYTES + " bytes");
      }
    }
  }

  private static void write(OutputStream out, Response response, boolean headOnly)
      throws IOException {
    StringBuilder head = new StringBuilder(160);
    head.append("HTTP/1.1 ")
        .append(response.status())
        .append(' ')
        .append(reason(response.status()));
    head.append("\r\nContent-Type: ").append(response.contentType());
    head.append("\r\nContent-Length: ").append(response.body().length);
    head.append("\r\nConnection: close");
    response.headers().forEach((k, v) -> head.append("\r\n").append(k).append(": ").append(v));
    head.append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!headOnly) {
      out.write(response.body());
    }
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** Stops accepting and closes the connections still open. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the health server socket", e);
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        log.debug("closing a health connection", e);
      }
    }
    try {
      acceptor.join(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
