package dev.gollm.devstack.ollama;

import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the simulator's tests; every call has a timeout. */
final class SimClient {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  SimClient(OllamaSimulator simulator) {
    this.base = simulator.baseUrl();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build());
  }

  HttpResponse<String> post(String path, String json) {
    return send(request(path, json));
  }

  HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).DELETE().build());
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
    return http.sendAsync(request(path, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String json) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    return HttpIo.JSON.readTree(text);
  }

  /** The non-empty lines of an NDJSON body, parsed. */
  static List<JsonNode> ndjson(String body) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines(body)) {
      out.add(json(line));
    }
    return out;
  }

  static List<String> lines(String body) {
    return body.lines().filter(l -> !l.isEmpty()).toList();
  }

  /** The JSON payloads of an SSE body's {@code data:} events, without the [DONE] marker. */
  static List<JsonNode> sseData(String body) {
    return lines(body).stream()
        .map(l -> l.substring("data: ".length()))
        .filter(d -> !d.equals("[DONE]"))
        .map(SimClient::json)
        .toList();
  }

  /** Concatenated message.content (chat) or response (generate) of NDJSON lines. */
  static String content(List<JsonNode> lines) {
    StringBuilder text = new StringBuilder();
    for (JsonNode l : lines) {
      JsonNode piece = l.has("message") ? l.path("message").path("content") : l.path("response");
      text.append(piece.asString(""));
    }
    return text.toString();
  }

  static List<String> keys(JsonNode node) {
    return new ArrayList<>(node.propertyNames());
  }
}
