package dev.gollm.processor.llm.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves recorded-shape answers of an OpenAI-compatible server: each path answers with the status,
 * content type and bytes the test set, and every request is kept for inspection.
 */
final class FixtureServer implements AutoCloseable {
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {}

  record Seen(String method, String path, String authorization, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  FixtureServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  FixtureServer answer(String path, int status, String contentType, byte[] body) {
    return answer(path, new Answer(status, contentType, body, Map.of()));
  }

  FixtureServer answer(String path, Answer answer) {
    answers.put(path, answer);
    return this;
  }

  /** A stream fixture for the chat path and a model list, both from test resources. */
  FixtureServer streaming(String streamFixture, String modelsFixture) {
    answer("/v1/models", 200, "application/json", fixture(modelsFixture));
    return answer("/v1/chat/completions", 200, "text/event-stream", fixture(streamFixture));
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  static byte[] fixture(String name) {
    try (InputStream in = FixtureServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String path = exchange.getRequestURI().getPath();
      seen.add(
          new Seen(
              exchange.getRequestMethod(),
              path,
              exchange.getRequestHeaders().getFirst("Authorization"),
              body));
      Answer answer = answers.get(path);
      if (answer == null) {
        answer = new Answer(404, "text/plain", "404 page not found".getBytes(), Map.of());
      }
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(answer.status(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
