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
 * The simulator's own endpoints under /_sim: request records, statistics, reset, fault switches,
 * server settings (keep_alive) and model profiles (load time, context window). See
 * docs/devstack-ollama.md for the bodies.
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
      case "GET /_sim/settings" -> HttpIo.sendJson(exchange, 200, serverSettingsJson());
      case "POST /_sim/settings" -> {
        try {
          JsonNode body =
              GenerationRequest.parseBody(GenerationRequest.readBody(exchange, 1 << 16));
          Duration keepAlive = KeepAlive.fromJson(body.get("keep_alive"), "keep_alive");
          if (keepAlive != null) {
            simulator.defaultKeepAlive(keepAlive);
          }
        } catch (InvalidRequestException e) {
          HttpIo.sendJson(
              exchange, 400, HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
          return;
        }
        HttpIo.sendJson(exchange, 200, serverSettingsJson());
      }
      case "GET /_sim/models" -> HttpIo.sendJson(exchange, 200, modelsJson());
      case "POST /_sim/models" -> {
        try {
          changeModel(GenerationRequest.parseBody(GenerationRequest.readBody(exchange, 1 << 16)));
        } catch (InvalidRequestException e) {
          HttpIo.sendJson(
              exchange, 400, HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
          return;
        } catch (ApiError e) {
          HttpIo.sendJson(
              exchange, e.status(), HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
          return;
        }
        HttpIo.sendJson(exchange, 200, modelsJson());
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
                          + " /_sim/stats, POST /_sim/reset, GET|POST|DELETE /_sim/faults,"
                          + " GET|POST /_sim/settings, GET|POST /_sim/models"));
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
    PullFailure failPulls = pullFailure(body.get("fail_pulls"));
    Integer failPullsCount = JsonFields.int32(body, "fail_pulls_count", "fail_pulls_count");
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
              .withPullFailure(
                  failPulls == null ? s.pullFailure() : failPulls,
                  failPullsCount == null
                      ? (failPulls == null ? s.pullFailures() : Faults.OFF)
                      : failPullsCount);
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
    o.put("fail_pulls", s.pullFailure().key());
    o.put("fail_pulls_count", s.pullFailures());
    return o;
  }

  /**
   * {@code fail_pulls}: none, transient, cut or final; {@code true} means transient and {@code
   * false} none.
   */
  private static PullFailure pullFailure(JsonNode node) {
    if (JsonFields.absent(node)) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? PullFailure.TRANSIENT : PullFailure.NONE;
    }
    if (node.isString()) {
      try {
        return PullFailure.fromKey(node.stringValue());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("fail_pulls: " + e.getMessage());
      }
    }
    throw JsonFields.wrongType(
        "fail_pulls", "\"none\", \"transient\", \"cut\", \"final\" or a boolean", node);
  }

  /**
   * Changes one installed model's profile: {@code load_ms} (load time) and {@code num_ctx} (its
   * default context window); absent fields keep their value.
   */
  private void changeModel(JsonNode body) {
    String name = GenerationRequest.requireModel(body, "model");
    Long loadMs = JsonFields.integer(body, "load_ms", "load_ms");
    Integer numCtx = JsonFields.int32(body, "num_ctx", "num_ctx");
    ModelProfile p = simulator.model(name).orElseThrow(() -> ApiError.modelNotFound(name));
    ModelProfile next;
    try {
      next =
          p.withLoadTime(loadMs == null ? p.loadTime() : Duration.ofMillis(loadMs))
              .withNumCtx(numCtx == null ? p.numCtx() : numCtx);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidRequestException("model settings: " + e.getMessage());
    }
    simulator.installModel(next);
  }

  private ObjectNode modelsJson() {
    ObjectNode root = HttpIo.JSON.createObjectNode();
    ArrayNode list = root.putArray("models");
    for (String name : simulator.modelNames()) {
      simulator
          .model(name)
          .ifPresent(
              p ->
                  list.addObject()
                      .put("model", p.name())
                      .put("load_ms", p.loadTime().toMillis())
                      .put("ttft_ms", p.timeToFirstToken().toMillis())
                      .put("tokens_per_second", p.tokensPerSecond())
                      .put("num_ctx", p.numCtx())
                      .put("context_length", ModelProfile.CONTEXT_LENGTH));
    }
    return root;
  }

  private ObjectNode serverSettingsJson() {
    return HttpIo.JSON
        .createObjectNode()
        .put("keep_alive", KeepAlive.format(simulator.defaultKeepAlive()));
  }
}
