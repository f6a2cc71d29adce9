package dev.gollm.devstack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 0: what one HTTP round trip to the manager costs here and now. Times sequential requests
 * from this JVM to the manager: the catch-all (no database) and an empty claim (one database
 * transaction). Every dispatch needs at least a claim and a request to Ollama, so these are the
 * floor under the dispatch figures on this machine at this load.
 */
final class Baseline implements Scenario {
  static final String NAME = "0 baseline";

  private final int requests;

  Baseline(BenchPlan plan) {
    this.requests = plan.baselineRequests();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int steps() {
    return 0;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    URI base = stack.manager().baseUri();
    HttpRequest ping =
        HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
    HttpRequest claim =
        HttpRequest.newBuilder(base.resolve("/api/internal/claim"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + stack.manager().apiKey())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"processor_id\":\"bench-baseline\",\"batch_size\":1}"))
            .build();
    Summary pingMs;
    Summary claimMs;
    try (HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      pingMs = measured(http, ping);
      claimMs = measured(http, claim);
    }
    addFigures(results, pingMs, claimMs);
    ObjectNode d = results.details("0_baseline");
    d.put("requests", requests);
    d.put(
        "method",
        "sequential requests from the bench JVM (JDK HttpClient, HTTP/1.1, one kept-alive"
            + " connection) to the manager in the same JVM, after n/2 unmeasured ones");
    d.set("round_trip_ms", pingMs.toJson());
    d.set("empty_claim_ms", claimMs.toJson());
  }

  private static void addFigures(Results results, Summary pingMs, Summary claimMs) {
    results.add(
        Figure.info(
            "baseline_rtt_p50_ms",
            NAME,
            "HTTP round trip to the manager, p50",
            pingMs.p50(),
            "ms"));
    results.add(
        Figure.info(
            "baseline_rtt_p99_ms",
            NAME,
            "HTTP round trip to the manager, p99",
            pingMs.p99(),
            "ms"));
    results.add(
        Figure.info(
            "baseline_claim_p50_ms",
            NAME,
            "empty claim (one SQLite transaction), p50",
            claimMs.p50(),
            "ms"));
    results.add(
        Figure.info(
            "baseline_claim_p99_ms",
            NAME,
            "empty claim (one SQLite transaction), p99",
            claimMs.p99(),
            "ms"));
  }

  /** Half as many unmeasured round trips first, then the measured ones. */
  private Summary measured(HttpClient http, HttpRequest request) throws InterruptedException {
    roundTrips(http, request, requests / 2);
    return Summary.of(roundTrips(http, request, requests));
  }

  private static List<Double> roundTrips(HttpClient http, HttpRequest request, int n)
      throws InterruptedException {
    List<Double> ms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
          throw new BenchException(
              request.uri() + " answered " + response.statusCode() + " to the baseline request");
        }
      } catch (IOException e) {
        throw new BenchException("baseline request to " + request.uri() + " failed: " + e);
      }
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return ms;
  }
}
