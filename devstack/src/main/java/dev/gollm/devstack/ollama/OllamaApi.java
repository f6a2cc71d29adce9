package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes the simulator's HTTP requests: Ollama's API, the OpenAI-compatible chat and /_sim admin.
 */
final class OllamaApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaApi.class);

  /** The version /api/version reports. */
  static final String VERSION = "0.12.6";

  static final String CHAT = "/api/chat";
  static final String GENERATE = "/api/generate";
  static final String OPENAI_CHAT = "/v1/chat/completions";
  static final String PULL = "/api/pull";

  private final ModelStore models;
  private final GenerationService generation;
  private final PullService pulls;
  private final AdminApi admin;
  private final RequestLog log;
  private boolean openAiOnly;
  private String apiKey;

  OllamaApi(
      ModelStore models,
      GenerationService generation,
      PullService pulls,
      AdminApi admin,
      RequestLog log) {
    this.models = models;
    this.generation = generation;
    this.pulls = pulls;
    this.admin = admin;
    this.log = log;
  }

  /**
   * Serves only the OpenAI-compatible API when {@code openAiOnly} (everything else but /_sim is
   * 404, as on vLLM), and requires {@code apiKey} (when not null) as a Bearer token on /v1/*.
   */
  OllamaApi restrictedTo(boolean openAiOnly, String apiKey) {
    this.openAiOnly = openAiOnly;
    this.apiKey = apiKey;
    return this;
  }

  /**
   * Serves one exchange. The exchange is closed only after a normal return: an exception leaves it
   * open, so the server drops the connection without ending a started stream cleanly.
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      throw e;
    }
    exchange.close();
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.startsWith("/_sim/")) {
      admin.handle(exchange, method, path);
      return;
    }
    if (openAiOnly && !path.startsWith("/v1/")) {
      HttpIo.sendJson(exchange, 404, HttpIo.JSON.createObjectNode().put("detail", "Not Found"));
      return;
    }
    if (apiKey != null
        && path.startsWith("/v1/")
        && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      HttpIo.sendJson(exchange, 401, HttpIo.JSON.createObjectNode().put("error", "Unauthorized"));
      return;
    }
    switch (path) {
      case "/" -> {
        if (allow(exchange, method, "GET", "HEAD")) {
          sendOrHead(exchange, method, "text/plain; charset=utf-8", "Ollama is running");
        }
      }
      case "/api/version" -> {
        if (allow(exchange, method, "GET", "HEAD")) {
          sendOrHead(exchange, method, "application/json", "{\"version\":\"" + VERSION + "\"}\n");
        }
      }
      case "/api/tags" -> {
        if (allow(exchange, method, "GET")) {
          HttpIo.sendJson(exchange, 200, tags());
        }
      }
      case "/api/ps" -> {
        if (allow(exchange, method, "GET")) {
          HttpIo.sendJson(exchange, 200, ps());
        }
      }
      case "/api/show" -> {
        if (allow(exchange, method, "POST")) {
          show(exchange);
        }
      }
      case "/v1/models" -> {
        if (allow(exchange, method, "GET")) {
          HttpIo.sendJson(exchange, 200, openAiModels());
        }
      }
      case PULL -> {
        if (allow(exchange, method, "POST")) {
          pulls.serve(exchange, log.begin(PULL));
        }
      }
      case CHAT, GENERATE, OPENAI_CHAT -> {
        AnswerShape shape =
            switch (path) {
              case CHAT -> AnswerShape.CHAT;
              case GENERATE -> AnswerShape.GENERATE;
              default -> AnswerShape.OPENAI;
            };
        if (allow(exchange, method, "POST")) {
          generation.serve(exchange, shape, log.begin(path));
        }
      }
      default -> HttpIo.sendText(exchange, 404, "text/plain; charset=utf-8", "404 page not found");
    }
  }

  private static void sendOrHead(
      HttpExchange exchange, String method, String contentType, String body) throws IOException {
    if ("HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, -1);
    } else {
      HttpIo.sendText(exchange, 200, contentType, body);
    }
  }

  private static boolean allow(HttpExchange exchange, String method, String... allowed)
      throws IOException {
    for (String a : allowed) {
      if (a.equals(method)) {
        return true;
      }
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    HttpIo.sendJson(
        exchange,
        405,
        HttpIo.JSON
            .createObjectNode()
            .put(
                "error",
                method
                    + " is not allowed on "
                    + exchange.getRequestURI().getPath()
                    + "; use "
                    + String.join(" or ", allowed)));
    return false;
  }

  private ObjectNode tags() {
    ObjectNode root = HttpIo.JSON.createObjectNode();
    ArrayNode list = root.putArray("models");
    for (ModelStore.Installed m : models.installed()) {
      ObjectNode o = list.addObject();
      ModelProfile p = m.profile();
      o.put("name", p.name());
      o.put("model", p.name());
      o.put("modified_at", m.modifiedAt().toString());
      o.put("size", p.sizeBytes());
      o.put("digest", p.digest());
      o.set("details", details(p));
    }
    return root;
  }

  private ObjectNode ps() {
    ObjectNode root = HttpIo.JSON.createObjectNode();
    ArrayNode list = root.putArray("models");
    for (ModelStore.Loaded m : models.loaded()) {
      ModelProfile p = m.profile();
      ObjectNode o = list.addObject();
      o.put("name", p.name());
      o.put("model", p.name());
      o.put("size", p.sizeBytes());
      o.put("digest", p.digest());
      o.set("details", details(p));
      o.put("expires_at", m.expiresAt().toString());
      o.put("size_vram", 0);
      o.put("context_length", m.ctx());
    }
    return root;
  }

  private void show(HttpExchange exchange) throws IOException {
    String name;
    try {
      JsonNode body = GenerationRequest.parseBody(GenerationRequest.readBody(exchange, 1 << 20));
      String model = JsonFields.string(body, "model", "model");
      name =
          model != null && !model.isBlank() ? model : GenerationRequest.requireModel(body, "name");
    } catch (InvalidRequestException e) {
      HttpIo.sendJson(exchange, 400, HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
      return;
    }
    var found = models.find(name);
    if (found.isEmpty()) {
      HttpIo.sendJson(
          exchange,
          404,
          HttpIo.JSON.createObjectNode().put("error", "model '" + name + "' not found"));
      return;
    }
    ModelProfile p = found.get().profile();
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put(
        "modelfile",
        "# Modelfile generated by \"ollama show\"\nFROM "
            + p.name()
            + "\nTEMPLATE {{ .Prompt }}\nPARAMETER stop <end_of_turn>\n");
    o.put("parameters", "stop                           \"<end_of_turn>\"");
    o.put("template", "{{ .Prompt }}");
    o.set("details", details(p));
    ObjectNode info = o.putObject("model_info");
    info.put("general.architecture", p.family());
    info.put("general.parameter_count", Math.round(p.sizeBytes() / 0.6));
    info.put(p.family() + ".context_length", ModelProfile.CONTEXT_LENGTH);
    o.putArray("capabilities").add("completion");
    o.put("modified_at", found.get().modifiedAt().toString());
    HttpIo.sendJson(exchange, 200, o);
  }

  private ObjectNode openAiModels() {
    ObjectNode root = HttpIo.JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (ModelStore.Installed m : models.installed()) {
      data.addObject()
          .put("id", m.profile().name())
          .put("object", "model")
          .put("created", m.modifiedAt().getEpochSecond())
          .put("owned_by", "library");
    }
    return root;
  }

  private static ObjectNode details(ModelProfile p) {
    ObjectNode d = HttpIo.JSON.createObjectNode();
    d.put("parent_model", "");
    d.put("format", "gguf");
    d.put("family", p.family());
    d.putArray("families").add(p.family());
    d.put("parameter_size", p.parameterSize());
    d.put("quantization_level", "Q4_K_M");
    return d;
  }
}
