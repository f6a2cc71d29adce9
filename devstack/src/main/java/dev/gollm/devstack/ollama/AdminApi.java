package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own endpoints under /_sim: request records, statistics, reset and fault switches.
 * See docs/devstack-ollama.md for the fault body.
 */
final class AdminApi {
  private final OllamaSimulator simulator;

  AdminApi(OllamaSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(HttpExchange exchange, String method, String path) throws IOException {
    switch (method + " " + path) {
      case "GET /_sim/requests" -> {
        ObjectNode root = HttpIo.JSON.createObjectNode();
        ArrayNode list = root.putArray("requests");
        simulator.requests().forEach(r -> list.add(r.toJson()));
        HttpIo.sendJson(exchange, 200, root);
      }
      case "GET /_sim/stats" -> HttpIo.sendJson(exchange, 200, simulator.stats().toJson());
      case "POST /_sim/reset" -> {
        simulator.reset();
        HttpIo.sendJson(exchange, 200, HttpIo.JSON.createObjectNode().put("status", "reset"));
      }
      case "GET /_sim/faults" -> HttpIo.sendJson(exchange, 200, settingsJson());
      case "DELETE /_sim/faults" -> {
        simulator.faults().clear();
        HttpIo.sendJson(exchange, 200, settingsJson());
      }
      case "POST /_sim/faults" -> {
        try {
          applyFaults(GenerationRequest.parseBody(GenerationRequest.readBody(exchange, 1 << 16)));
        } catch (InvalidRequestException e) {
          HttpIo.sendJson(
              exchange, 400, HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
          return;
        }
        HttpIo.sendJson(exchange, 200, settingsJson());
      }
      default ->
          HttpIo.sendJson(
              exchange,
              404,
              HttpIo.JSON
                  .createObjectNode()
                  .put(
                      "error",
                      method
                          + " "
                          + path
                          + " is not an admin endpoint; expected GET /_sim/requests, GET"
                          + " /_sim/stats, POST /_sim/reset, GET|POST|DELETE /_sim/faults"));
    }
  }

  /**
   * Applies the fields present in a fault body; absent fields keep their value. All values are
   * checked before any is applied.
   */
  private void applyFaults(JsonNode body) {
    Faults faults = simulator.faults();
    Faults.Settings s = faults.settings();
    Double rate = JsonFields.number(body, "error_rate", "error_rate");
    Integer status = JsonFields.int32(body, "error_status", "error_status");
    Long hangMs = JsonFields.integer(body, "hang_ms", "hang_ms");
    Integer disconnect =
        JsonFields.int32(body, "disconnect_after_tokens", "disconnect_after_tokens");
    Integer malformed = JsonFields.int32(body, "malformed_after_tokens", "malformed_after_tokens");
    Integer stallAfter = JsonFields.int32(body, "stall_after_tokens", "stall_after_tokens");
    Long stallMs = JsonFields.integer(body, "stall_ms", "stall_ms");
    Long pullStepMs = JsonFields.integer(body, "pull_step_ms", "pull_step_ms");
    Boolean failPulls = JsonFields.bool(body, "fail_pulls", "fail_pulls");
    List<String> remove = JsonFields.strings(body, "remove_model", "remove_model");
    Faults.Settings next;
    try {
      next =
          s.withErrorRate(
                  rate == null ? s.errorRate() : rate, status == null ? s.errorStatus() : status)
              .withHang(hangMs == null ? s.hang() : Duration.ofMillis(hangMs))
              .withDisconnectAfterTokens(
                  disconnect == null ? s.disconnectAfterTokens() : disconnect)
              .withMalformedAfterTokens(malformed == null ? s.malformedAfterTokens() : malformed)
              .withStall(
                  stallAfter == null ? s.stallAfterTokens() : stallAfter,
                  stallMs == null ? s.stall() : Duration.ofMillis(stallMs))
              .withPullStep(pullStepMs == null ? s.pullStep() : Duration.ofMillis(pullStepMs))
              .withFailPulls(failPulls == null ? s.failPulls() : failPulls);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("fault settings: " + e.getMessage());
    }
    faults.apply(next);
    if (remove != null) {
      remove.forEach(simulator::removeModel);
    }
  }

  private ObjectNode settingsJson() {
    Faults.Settings s = simulator.faults().settings();
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put("error_rate", s.errorRate());
    o.put("error_status", s.errorStatus());
    o.put("hang_ms", s.hang().toMillis());
    o.put("disconnect_after_tokens", s.disconnectAfterTokens());
    o.put("malformed_after_tokens", s.malformedAfterTokens());
    o.put("stall_after_tokens", s.stallAfterTokens());
    o.put("stall_ms", s.stall().toMillis());
    o.put("pull_step_ms", s.pullStep().toMillis());
    o.put("fail_pulls", s.failPulls());
    return o;
  }
}
