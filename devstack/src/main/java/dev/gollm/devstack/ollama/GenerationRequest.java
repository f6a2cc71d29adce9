package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.JsonFields.absent;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.http.HttpIo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One generation request, read from the body of /api/chat, /api/generate or /v1/chat/completions
 * and reduced to what the simulator uses.
 *
 * @param model the model name as given
 * @param stream whether to stream the answer
 * @param system the system prompt (system messages joined by a newline), or null
 * @param user the user text (user messages joined by a newline), or null
 * @param messages how many messages (or prompt parts) the prompt had
 * @param options the options as Ollama would apply them
 * @param keepAlive the request's keep_alive, or null for the server default
 * @param loadOnly an empty prompt: only load (or, with keep_alive 0, unload) the model
 * @param includeUsage OpenAI streams: send a usage chunk before [DONE]
 */
record GenerationRequest(
    String model,
    boolean stream,
    String system,
    String user,
    int messages,
    GenerationOptions options,
    Duration keepAlive,
    boolean loadOnly,
    boolean includeUsage) {

  /** Tokens the prompt counts as: its words plus 4 per message for the chat template. */
  int promptTokens() {
    return words(system).length + words(user).length + templateTokens();
  }

  private int templateTokens() {
    return 4 * Math.max(1, messages);
  }

  /**
   * The prompt as a model with a context window of {@code numCtx} tokens sees it. Like Ollama, a
   * prompt longer than the window is cut silently from the front: words of the system prompt go
   * first, then words of the user text; the template's tokens stay. A prompt that fits is returned
   * as it is.
   */
  PromptSeen fitTo(int numCtx) {
    int tokens = promptTokens();
    if (tokens <= numCtx) {
      return new PromptSeen(system, user, tokens, 0);
    }
    String[] sys = words(system);
    String[] usr = words(user);
    int drop = Math.min(tokens - numCtx, sys.length + usr.length);
    int dropSys = Math.min(drop, sys.length);
    int dropUsr = drop - dropSys;
    String keptSystem =
        system == null ? null : String.join(" ", Arrays.asList(sys).subList(dropSys, sys.length));
    String keptUser =
        user == null ? null : String.join(" ", Arrays.asList(usr).subList(dropUsr, usr.length));
    return new PromptSeen(keptSystem, keptUser, tokens - drop, drop);
  }

  /**
   * The prompt a model saw.
   *
   * @param system the system prompt after the cut
   * @param user the user text after the cut
   * @param tokens prompt_eval_count: the tokens after the cut
   * @param cutTokens tokens cut from the front (0 when the prompt fit)
   */
  record PromptSeen(String system, String user, int tokens, int cutTokens) {}

  /**
   * Reads a request body of at most {@code maxBytes}.
   *
   * @throws InvalidRequestException when the body is larger
   * @throws IOException when the client connection fails
   */
  static byte[] readBody(HttpExchange exchange, int maxBytes) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new InvalidRequestException(
            "request body is larger than " + maxBytes + " bytes; send a smaller prompt");
      }
      return body;
    }
  }

  /** Parses a body as JSON, failing with a 400-worthy message when it is empty or not an object. */
  static JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      throw new InvalidRequestException("missing request body");
    }
    JsonNode root;
    try {
      root = HttpIo.JSON.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidRequestException("invalid JSON in request body: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidRequestException("missing request body");
    }
    if (!root.isObject()) {
      throw JsonFields.wrongType("request body", "a JSON object", root);
    }
    return root;
  }

  /** Reads the {@code model} field, which every endpoint requires. */
  static String requireModel(JsonNode body, String field) {
    String model = JsonFields.string(body, field, field);
    if (model == null || model.isBlank()) {
      throw new InvalidRequestException("model is required");
    }
    return model;
  }

  /** An /api/chat body. */
  static GenerationRequest chat(JsonNode body) {
    String model = requireModel(body, "model");
    JsonNode messages = body.get("messages");
    List<String> system = new ArrayList<>();
    List<String> user = new ArrayList<>();
    int count = 0;
    if (!absent(messages)) {
      if (!messages.isArray()) {
        throw JsonFields.wrongType("messages", "an array of {role, content}", messages);
      }
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        String path = "messages[" + i + "]";
        if (!m.isObject()) {
          throw JsonFields.wrongType(path, "an object with role and content", m);
        }
        String role = JsonFields.string(m, "role", path + ".role");
        if (role == null) {
          throw new InvalidRequestException(path + ".role is required");
        }
        String content = JsonFields.string(m, "content", path + ".content");
        collect(role, content == null ? "" : content, system, user);
        count++;
      }
    }
    return new GenerationRequest(
        model,
        streamFlag(body, true),
        join(system),
        join(user),
        count,
        GenerationOptions.fromJson(body.get("options"), "options"),
        KeepAlive.fromJson(body.get("keep_alive"), "keep_alive"),
        count == 0,
        false);
  }

  /** An /api/generate body. */
  static GenerationRequest generate(JsonNode body) {
    String model = requireModel(body, "model");
    String prompt = JsonFields.string(body, "prompt", "prompt");
    String system = JsonFields.string(body, "system", "system");
    boolean empty = prompt == null || prompt.isEmpty();
    return new GenerationRequest(
        model,
        streamFlag(body, true),
        system,
        prompt,
        system == null ? 1 : 2,
        GenerationOptions.fromJson(body.get("options"), "options"),
        KeepAlive.fromJson(body.get("keep_alive"), "keep_alive"),
        empty,
        false);
  }

  /**
   * A /v1/chat/completions body, mapped as Ollama's compatibility layer maps it: {@code max_tokens}
   * becomes num_predict; temperature and top_p default to 1.0; {@code top_k}, {@code
   * repeat_penalty}, {@code options} and {@code keep_alive} are dropped.
   */
  static GenerationRequest openAi(JsonNode body) {
    String model = requireModel(body, "model");
    JsonNode messages = body.get("messages");
    if (absent(messages) || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequestException("messages: expected a non-empty array of {role, content}");
    }
    List<String> system = new ArrayList<>();
    List<String> user = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String path = "messages[" + i + "]";
      if (!m.isObject()) {
        throw JsonFields.wrongType(path, "an object with role and content", m);
      }
      String role = JsonFields.string(m, "role", path + ".role");
      if (role == null) {
        throw new InvalidRequestException(path + ".role is required");
      }
      collect(role, openAiContent(m.get("content"), path + ".content"), system, user);
    }
    Double temperature = JsonFields.number(body, "temperature", "temperature");
    Double topP = JsonFields.number(body, "top_p", "top_p");
    GenerationOptions options =
        new GenerationOptions(
            JsonFields.integer(body, "seed", "seed"),
            temperature == null ? 1.0 : temperature,
            topP == null ? 1.0 : topP,
            null,
            null,
            JsonFields.int32(body, "max_tokens", "max_tokens"),
            JsonFields.strings(body, "stop", "stop"),
            null);
    JsonNode streamOptions = JsonFields.object(body, "stream_options", "stream_options");
    Boolean usage =
        streamOptions == null
            ? null
            : JsonFields.bool(streamOptions, "include_usage", "stream_options.include_usage");
    return new GenerationRequest(
        model,
        streamFlag(body, false),
        join(system),
        join(user),
        messages.size(),
        options,
        null,
        false,
        Boolean.TRUE.equals(usage));
  }

  private static boolean streamFlag(JsonNode body, boolean dflt) {
    Boolean stream = JsonFields.bool(body, "stream", "stream");
    return stream == null ? dflt : stream;
  }

  private static String openAiContent(JsonNode content, String path) {
    if (absent(content)) {
      return "";
    }
    if (content.isString()) {
      return content.stringValue();
    }
    if (!content.isArray()) {
      throw JsonFields.wrongType(path, "a string or an array of content parts", content);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      if (!part.isObject()) {
        throw JsonFields.wrongType(path + "[" + i + "]", "a content part object", part);
      }
      if ("text".equals(JsonFields.string(part, "type", path + "[" + i + "].type"))) {
        String t = JsonFields.string(part, "text", path + "[" + i + "].text");
        if (t != null) {
          text.append(text.isEmpty() ? "" : "\n").append(t);
        }
      }
    }
    return text.toString();
  }

  private static void collect(String role, String content, List<String> system, List<String> user) {
    switch (role) {
      case "system" -> system.add(content);
      case "user" -> user.add(content);
      default -> {
        // assistant and tool turns do not shape the simulated answer
      }
    }
  }

  private static String join(List<String> parts) {
    return parts.isEmpty() ? null : String.join("\n", parts);
  }

  private static String[] words(String s) {
    return s == null || s.isBlank() ? new String[0] : s.strip().split("\\s+");
  }
}
