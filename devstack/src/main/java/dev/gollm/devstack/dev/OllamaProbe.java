package dev.gollm.devstack.dev;

import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Finds out whether a real Ollama answers at a URL: {@code GET /api/version} within a timeout. */
final class OllamaProbe {
  /** Where Ollama listens when OLLAMA_URL is not set. */
  static final String DEFAULT_URL = "http://localhost:11434";

  private OllamaProbe() {}

  /**
   * The URL to probe: OLLAMA_URL in the forms Ollama takes ({@code http://host:port}, {@code
   * host:port}, {@code host}, which gets port 11434), else {@value #DEFAULT_URL}.
   *
   * @throws IllegalArgumentException when OLLAMA_URL is not such a URL
   */
  static URI baseUrl(String ollamaUrl) {
    if (ollamaUrl == null || ollamaUrl.isBlank()) {
      return URI.create(DEFAULT_URL);
    }
    String text = ollamaUrl.strip();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "OLLAMA_URL '" + ollamaUrl + "' is not a URL; expected e.g. http://localhost:11434", e);
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(
          "OLLAMA_URL '"
              + ollamaUrl
              + "' is not an http(s) URL with a host;"
              + " expected e.g. http://localhost:11434");
    }
    if (uri.getPort() < 0 && !ollamaUrl.contains("://")) {
      uri = URI.create(text + ":11434");
    }
    return uri;
  }

  /** Ollama's version when {@code GET <baseUrl>/api/version} answers 200 within {@code timeout}. */
  static Optional<String> version(URI baseUrl, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/version"))
              .timeout(timeout)
              .GET()
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode version = HttpIo.JSON.readTree(response.body()).get("version");
      return Optional.of(version != null && version.isString() ? version.stringValue() : "?");
    } catch (IOException | JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
