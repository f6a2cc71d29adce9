package dev.gollm.devstack.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Test-side HTTP client for a {@link ManagerServer}: sends requests, keeps raw answers. */
final class ManagerClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String apiKey;

  ManagerClient(ManagerServer server) {
    this.baseUrl = server.baseUrl();
    this.apiKey = server.apiKey();
  }

  /** An answer: status, raw body and headers. */
  record Reply(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return RequestBody.firstValue(WireJson.utf8(body));
      } catch (InvalidJsonException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /** The keys of the top-level object in wire order. */
    List<String> keys() {
      return keysOf(json());
    }
  }

  static List<String> keysOf(JsonNode object) {
    return new ArrayList<>(object.propertyNames());
  }

  Reply post(String path, String json) {
    return send("POST", path, json, true);
  }

  Reply get(String path) {
    return send("GET", path, null, true);
  }

  Reply send(String method, String path, String body, boolean withKey) {
    return send(method, path, body, withKey ? "Bearer " + apiKey : null);
  }

  Reply send(String method, String path, String body, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Claims with the default path and returns the claimed tasks' ids. */
  List<String> claimIds(String processorId, int batch) {
    Reply reply =
        post(
            "/api/internal/claim",
            "{\"processor_id\":\"" + processorId + "\",\"batch_size\":" + batch + "}");
    if (reply.status() != 200) {
      throw new AssertionError("claim answered " + reply.status() + ": " + reply.body());
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode task : reply.json().get("tasks")) {
      ids.add(task.get("id").stringValue());
    }
    return ids;
  }
}
