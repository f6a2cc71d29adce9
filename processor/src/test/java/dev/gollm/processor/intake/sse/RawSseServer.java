package dev.gollm.processor.intake.sse;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-driven event-stream server for tests: every connection runs a {@link Script} that writes
 * exactly the bytes (and flushes) it wants, so framing can be as odd as the test needs.
 */
final class RawSseServer implements AutoCloseable {

  /** What the server does on one connection. */
  @FunctionalInterface
  interface Script {
    void play(Connection connection) throws IOException, InterruptedException;
  }

  /** A request as the server saw it. */
  record Request(String method, URI uri, String authorization, String accept) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private RawSseServer(int port, Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          int number = connections.incrementAndGet();
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Accept")));
          try (exchange) {
            script.play(new Connection(exchange, number));
          } catch (IOException e) {
            // The client went away: expected whenever it closes a stream.
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  static RawSseServer start(Script script) throws IOException {
    return new RawSseServer(0, script);
  }

  /** Starts on a given port, e.g. one where an earlier server was refused. */
  static RawSseServer startOn(int port, Script script) throws IOException {
    return new RawSseServer(port, script);
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** One accepted connection. */
  final class Connection {
    private final HttpExchange exchange;
    private final int number;
    private OutputStream body;

    Connection(HttpExchange exchange, int number) {
      this.exchange = exchange;
      this.number = number;
    }

    /** 1 for the first connection to this server, 2 for the next, ... */
    int number() {
      return number;
    }

    /** Sends 200 with the manager's event-stream headers; the body is chunked. */
    Connection open() throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      body = exchange.getResponseBody();
      body.flush(); // the headers go out now, as the manager's flusher sends them
      return this;
    }

    /** Writes the text as UTF-8 and flushes it onto the wire. */
    Connection send(String text) throws IOException {
      body.write(text.getBytes(UTF_8));
      body.flush();
      return this;
    }

    /** Answers with a complete response and ends the exchange. */
    void respond(int status, String contentType, String text) throws IOException {
      byte[] bytes = text.getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }

    /** Keeps the connection open, silent, until the server closes. */
    void hold() throws InterruptedException {
      closing.await();
    }
  }
}
