package dev.gollm.devstack.manager;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * devstack's admin endpoints under {@value #PREFIX} (no API key; see docs/devstack-manager.md):
 *
 * <ul>
 *   <li>{@code GET /_admin/faults} the fault state; {@code PUT} replaces it; {@code DELETE} clears
 *       it (lifting hangs).
 *   <li>{@code PUT /_admin/faults/{endpoint}} sets one endpoint's rule ({@code *} for all), {@code
 *       DELETE} removes it.
 *   <li>{@code GET /_admin/sse} stream state; {@code PUT} {@code {"refuse":true,"status":503}}
 *       refuses new streams; {@code POST /_admin/sse/drop} ends every open stream now.
 *   <li>{@code GET /_admin/steal} how work-steal runs; {@code PUT} {@code {"pause_ms":500}} splits
 *       it into select and update with that pause between, as the real manager's non-atomic steal;
 *       {@code DELETE} makes it atomic again.
 * </ul>
 */
final class AdminApi {
  static final String PREFIX = "/_admin/";
  private static final String FAULTS = PREFIX + "faults";
  private static final String SSE = PREFIX + "sse";
  private static final String STEAL = PREFIX + "steal";
  private static final Set<String> RULE_KEYS = Set.of("status", "rate", "latency_ms", "hang");
  private static final Set<String> PLAN_KEYS =
      Set.of("endpoints", "refuse_sse", "refuse_sse_status");
  private static final Set<String> SSE_KEYS = Set.of("refuse", "status");
  private static final Set<String> STEAL_KEYS = Set.of("pause_ms");

  private final Faults faults;
  private final TaskStreamHub stream;

  AdminApi(Faults faults, TaskStreamHub stream) {
    this.faults = faults;
    this.stream = stream;
  }

  /** An admin request that cannot be honoured; answered with its status and message. */
  private static final class AdminError extends Exception {
    private final int status;

    AdminError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    try {
      if (path.equals(FAULTS)) {
        switch (method) {
          case "GET" -> {}
          case "PUT" -> replacePlan(body(exchange));
          case "DELETE" -> faults.clearAll();
          default -> throw notAllowed(method, path, "GET, PUT, DELETE");
        }
        Responses.json(exchange, 200, faultState());
      } else if (path.startsWith(FAULTS + "/")) {
        String name = path.substring(FAULTS.length() + 1);
        if (!Faults.ALL.equals(name) && Endpoint.byName(name).isEmpty()) {
          throw new AdminError(
              404, "unknown endpoint '" + name + "'; expected * or one of " + endpointNames());
        }
        switch (method) {
          case "PUT" -> faults.put(name, rule(body(exchange), "body"));
          case "DELETE" -> faults.remove(name);
          default -> throw notAllowed(method, path, "PUT, DELETE");
        }
        Responses.json(exchange, 200, faultState());
      } else if (path.equals(SSE)) {
        switch (method) {
          case "GET" -> {}
          case "PUT" -> setSse(body(exchange));
          default -> throw notAllowed(method, path, "GET, PUT");
        }
        Responses.json(exchange, 200, sseState());
      } else if (path.equals(SSE + "/drop")) {
        if (!method.equals("POST")) {
          throw notAllowed(method, path, "POST");
        }
        Responses.json(exchange, 200, WireJson.sortedObject("dropped", stream.dropAll()));
      } else if (path.equals(STEAL)) {
        switch (method) {
          case "GET" -> {}
          case "PUT" -> splitSteals(body(exchange));
          case "DELETE" -> faults.atomicSteals();
          default -> throw notAllowed(method, path, "GET, PUT, DELETE");
        }
        Responses.json(exchange, 200, stealState());
      } else {
        throw new AdminError(
            404,
            "no admin endpoint "
                + path
                + "; try /_admin/faults, /_admin/faults/{endpoint}, /_admin/sse,"
                + " /_admin/sse/drop, /_admin/steal");
      }
    } catch (AdminError e) {
      Responses.error(exchange, e.status, e.getMessage());
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, 400, e.getMessage());
    }
  }

  private static AdminError notAllowed(String method, String path, String allowed) {
    return new AdminError(405, method + " is not allowed on " + path + "; use " + allowed);
  }

  private static String endpointNames() {
    StringBuilder names = new StringBuilder();
    for (Endpoint endpoint : Endpoint.values()) {
      names.append(names.isEmpty() ? "" : ", ").append(endpoint.endpointName());
    }
    return names.toString();
  }

  private static JsonNode body(HttpExchange exchange) throws IOException, AdminError {
    try {
      JsonNode value = RequestBody.firstValue(Responses.readBody(exchange, 1024 * 1024));
      if (!value.isObject()) {
        throw new AdminError(400, "the body must be a JSON object, got " + value.getNodeType());
      }
      return value;
    } catch (InvalidJsonException | Responses.BodyTooLargeException e) {
      throw new AdminError(400, e.getMessage());
    }
  }

  private static void requireKnownKeys(JsonNode object, Set<String> known, String where)
      throws AdminError {
    for (String key : object.propertyNames()) {
      if (!known.contains(key)) {
        throw new AdminError(400, where + ": unknown key '" + key + "'; expected some of " + known);
      }
    }
  }

  /** A rule object: {@code {"status":503,"rate":0.5,"latency_ms":200,"hang":false}}. */
  private static EndpointFault rule(JsonNode object, String where) throws AdminError {
    if (!object.isObject()) {
      throw new AdminError(400, where + " must be a JSON object");
    }
    requireKnownKeys(object, RULE_KEYS, where);
    int status = (int) integer(object, "status", 0, where);
    double rate = number(object, "rate", status == 0 ? 0.0 : 1.0, where);
    long latencyMs = integer(object, "latency_ms", 0, where);
    boolean hang = bool(object, "hang", false, where);
    try {
      return new EndpointFault(status, rate, latencyMs, hang);
    } catch (IllegalArgumentException e) {
      throw new AdminError(400, where + ": " + e.getMessage());
    }
  }

  private void replacePlan(JsonNode plan) throws AdminError {
    requireKnownKeys(plan, PLAN_KEYS, "body");
    Map<String, EndpointFault> rules = new LinkedHashMap<>();
    JsonNode endpoints = plan.get("endpoints");
    if (endpoints != null && !endpoints.isNull()) {
      if (!endpoints.isObject()) {
        throw new AdminError(400, "body.endpoints must be an object of endpoint name to rule");
      }
      for (Map.Entry<String, JsonNode> entry : endpoints.properties()) {
        String name = entry.getKey();
        if (!Faults.ALL.equals(name) && Endpoint.byName(name).isEmpty()) {
          throw new AdminError(
              400,
              "body.endpoints: unknown endpoint '"
                  + name
                  + "'; expected * or one of "
                  + endpointNames());
        }
        rules.put(name, rule(entry.getValue(), "body.endpoints." + name));
      }
    }
    boolean refuse = bool(plan, "refuse_sse", false, "body");
    int refuseStatus = (int) integer(plan, "refuse_sse_status", 503, "body");
    faults.refuseSse(refuse, refuseStatus);
    faults.replace(rules);
  }

  private void setSse(JsonNode body) throws AdminError {
    requireKnownKeys(body, SSE_KEYS, "body");
    if (!body.has("refuse")) {
      throw new AdminError(400, "body.refuse (true or false) is required");
    }
    faults.refuseSse(
        bool(body, "refuse", false, "body"), (int) integer(body, "status", 503, "body"));
  }

  private void splitSteals(JsonNode body) throws AdminError {
    requireKnownKeys(body, STEAL_KEYS, "body");
    if (!body.has("pause_ms")) {
      throw new AdminError(400, "body.pause_ms (milliseconds, 0 or more) is required");
    }
    long pauseMs = integer(body, "pause_ms", 0, "body");
    if (pauseMs < 0) {
      throw new AdminError(400, "body.pause_ms must be 0 or more, got " + pauseMs);
    }
    faults.splitSteals(Duration.ofMillis(pauseMs));
  }

  private ObjectNode stealState() {
    return WireJson.sortedObject(
        "atomic", faults.stealPause().isEmpty(),
        "in_window", faults.stealsInWindow(),
        "pause_ms", faults.stealPause().map(Duration::toMillis).orElse(null));
  }

  private ObjectNode faultState() {
    ObjectNode endpoints = WireJson.NODES.objectNode();
    new java.util.TreeMap<>(faults.rules())
        .forEach(
            (name, fault) ->
                endpoints.set(
                    name,
                    WireJson.sortedObject(
                        "hang", fault.hang(),
                        "latency_ms", fault.latencyMs(),
                        "rate", fault.rate(),
                        "status", fault.status())));
    return WireJson.sortedObject(
        "endpoints", endpoints,
        "hanging_requests", faults.hangingRequests(),
        "injected", faults.injectedCount(),
        "refuse_sse", faults.refusingSse(),
        "refuse_sse_status", faults.refuseSseStatus(),
        "sse_connections", stream.connectionCount());
  }

  private ObjectNode sseState() {
    return WireJson.sortedObject(
        "connections", stream.connectionCount(),
        "refuse", faults.refusingSse(),
        "status", faults.refuseSseStatus());
  }

  private static long integer(JsonNode object, String key, long fallback, String where)
      throws AdminError {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new AdminError(400, where + "." + key + " must be an integer, got " + value);
    }
    return value.longValue();
  }

  private static double number(JsonNode object, String key, double fallback, String where)
      throws AdminError {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new AdminError(400, where + "." + key + " must be a number, got " + value);
    }
    return value.doubleValue();
  }

  private static boolean bool(JsonNode object, String key, boolean fallback, String where)
      throws AdminError {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new AdminError(400, where + "." + key + " must be true or false, got " + value);
    }
    return value.booleanValue();
  }
}
