package dev.gollm.processor.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An HTTP stand-in between processors and a devstack manager. It forwards every request as it is
 * (streams included), except where a test scripted the next answers of an endpoint: then it answers
 * instead, with or without forwarding the request first. So a test can give the processor HTML
 * error pages, truncated or incomplete JSON, unexpected statuses or a garbage task stream, while
 * the real manager keeps the state the invariant is checked against.
 */
final class ManagerProxy implements AutoCloseable {
  /** One scripted answer to a request. */
  @FunctionalInterface
  interface Answer {
    void respond(HttpExchange exchange, byte[] requestBody, Upstream upstream) throws IOException;
  }

  /** Forwards the request being answered to the manager, with this body. */
  @FunctionalInterface
  interface Upstream {
    Forwarded forward(byte[] body) throws IOException;
  }

  /** The manager's answer to a forwarded request. */
  record Forwarded(int status, byte[] body) {}

  private volatile URI target;
  private final HttpClient client;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer server;
  private final Map<String, Deque<Answer>> scripted = new HashMap<>();
  private final Map<String, AtomicInteger> requests = new HashMap<>();

  private ManagerProxy() throws IOException {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a proxy on a free loopback port; it forwards once {@link #forwardTo} names the manager.
   * (Started before the processors' stack, it is closed after them, so they can still hand their
   * tasks back through it when they stop.)
   */
  static ManagerProxy start() throws IOException {
    return new ManagerProxy();
  }

  /** Forwards to the manager at {@code managerBase} from now on. */
  void forwardTo(URI managerBase) {
    target = managerBase;
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * The next {@code times} requests to {@code /api/internal/<endpoint>} get {@code answer}; later
   * ones are forwarded again.
   */
  synchronized void answerNext(String endpoint, int times, Answer answer) {
    Deque<Answer> queue = scripted.computeIfAbsent(endpoint, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(answer);
    }
  }

  /** Scripted answers of this endpoint not given yet. */
  synchronized int scriptedLeft(String endpoint) {
    Deque<Answer> queue = scripted.get(endpoint);
    return queue == null ? 0 : queue.size();
  }

  /** Requests that reached this endpoint so far, scripted or forwarded. */
  synchronized int requests(String endpoint) {
    AtomicInteger n = requests.get(endpoint);
    return n == null ? 0 : n.get();
  }

  private synchronized Answer next(String endpoint) {
    requests.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
    Deque<Answer> queue = scripted.get(endpoint);
    return queue == null ? null : queue.poll();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      String endpoint = path.startsWith("/api/internal/") ? path.substring(14) : path;
      Answer answer = next(endpoint);
      if (answer != null) {
        answer.respond(exchange, body, b -> forwardBuffered(exchange, b));
      } else {
        passThrough(exchange, body);
      }
    } catch (IOException e) {
      // The processor hung up (a timeout, a closed stream): nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest upstreamRequest(HttpExchange exchange, byte[] body) {
    URI uri = target.resolve(exchange.getRequestURI().toString());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : new String[] {"Authorization", "Content-Type", "Accept"}) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        b.header(header, value);
      }
    }
    return b.build();
  }

  private Forwarded forwardBuffered(HttpExchange exchange, byte[] body) throws IOException {
    try {
      HttpResponse<byte[]> r =
          client.send(upstreamRequest(exchange, body), HttpResponse.BodyHandlers.ofByteArray());
      return new Forwarded(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Forwards and streams the answer back as it arrives (the task stream included). */
  private void passThrough(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        client.send(upstreamRequest(exchange, body), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      r.headers()
          .firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      exchange.sendResponseHeaders(r.statusCode(), 0);
      OutputStream out = exchange.getResponseBody();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  // ---- ready-made answers ------------------------------------------------------------------

  /** Answers {@code status} with this body, without forwarding: the manager never sees it. */
  static Answer respond(int status, String contentType, String body) {
    return (exchange, requestBody, upstream) ->
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A reverse proxy's HTML error page, as nginx answers when the manager is down. */
  static Answer htmlErrorPage(int status) {
    return respond(
        status,
        "text/html",
        "<html>\r\n<head><title>"
            + status
            + " Bad Gateway</title></head>\r\n<body>\r\n<center><h1>"
            + status
            + " Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
  }

  /** Forwards (the manager acts on it), then answers the first half of the manager's body. */
  static Answer forwardAndTruncate() {
    return (exchange, requestBody, upstream) -> {
      Forwarded f = upstream.forward(requestBody);
      byte[] half = Arrays.copyOf(f.body(), f.body().length / 2);
      send(exchange, f.status(), "application/json", half);
    };
  }

  /** Forwards (the manager acts on it), then answers 200 with {@code json} instead. */
  static Answer forwardAndReplace(String json) {
    return (exchange, requestBody, upstream) -> {
      upstream.forward(requestBody);
      send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    };
  }

  /**
   * Forwards (the manager acts on it at once), then holds the manager's answer for {@code delay}
   * before passing it on: a slow network or an overloaded proxy on the way back.
   */
  static Answer forwardAndDelay(Duration delay) {
    return (exchange, requestBody, upstream) -> {
      Forwarded f = upstream.forward(requestBody);
      try {
        Thread.sleep(delay); // the latency being simulated, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      send(exchange, f.status(), "application/json", f.body());
    };
  }

  /** Forwards a changed request and passes the manager's answer on. */
  static Answer forwardChanged(UnaryOperator<String> change) {
    return (exchange, requestBody, upstream) -> {
      byte[] changed =
          change
              .apply(new String(requestBody, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
      Forwarded f = upstream.forward(changed);
      send(exchange, f.status(), "application/json", f.body());
    };
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (status >= 300 && status < 400) {
      exchange.getResponseHeaders().set("Location", "/login");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.shutdownNow();
    executor.shutdownNow();
  }
}
