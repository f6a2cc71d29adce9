package dev.gollm.devstack.ollama;

import dev.gollm.devstack.http.HttpIo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire shape of each generation endpoint: how a request body is read and how tokens, the final
 * object, whole answers and errors are written. Key order follows Ollama's output.
 */
enum AnswerShape {
  /** POST /api/chat: NDJSON lines with {@code message.content}. */
  CHAT,
  /** POST /api/generate: NDJSON lines with {@code response}. */
  GENERATE,
  /** POST /v1/chat/completions: OpenAI objects, streamed as SSE {@code data:} events. */
  OPENAI;

  /**
   * Everything the final object reports.
   *
   * @param text the whole answer
   * @param doneReason stop, length, load or unload
   * @param totalNanos arrival to end
   * @param loadNanos time spent making the model ready
   * @param promptTokens prompt_eval_count
   * @param promptNanos prompt evaluation (time to first token after load)
   * @param evalCount tokens generated
   * @param evalNanos first token to end
   */
  record Result(
      String text,
      String doneReason,
      long totalNanos,
      long loadNanos,
      int promptTokens,
      long promptNanos,
      int evalCount,
      long evalNanos) {}

  /**
   * Per-request values every line repeats.
   *
   * @param model the model name as the request gave it
   * @param id the request's sequence number (OpenAI ids are {@code chatcmpl-<id>})
   * @param created when the request arrived
   * @param includeUsage OpenAI streams: a usage chunk before [DONE]
   */
  record Reply(String model, long id, Instant created, boolean includeUsage) {}

  GenerationRequest parse(JsonNode body) {
    return switch (this) {
      case CHAT -> GenerationRequest.chat(body);
      case GENERATE -> GenerationRequest.generate(body);
      case OPENAI -> GenerationRequest.openAi(body);
    };
  }

  String streamContentType() {
    return this == OPENAI ? "text/event-stream" : "application/x-ndjson";
  }

  /** One streamed token. */
  byte[] token(Reply r, String piece) {
    return switch (this) {
      case CHAT, GENERATE -> line(nativeHead(r, piece).put("done", false));
      case OPENAI -> event(chunk(r, piece, null));
    };
  }

  /** The end of a stream: the final object (OpenAI: finish chunk, usage chunk, [DONE]). */
  byte[] last(Reply r, Result result) {
    return switch (this) {
      case CHAT, GENERATE -> line(nativeFinal(r, "", result));
      case OPENAI -> {
        StringBuilder out = new StringBuilder();
        out.append(eventText(chunk(r, "", finishReason(result.doneReason()))));
        if (r.includeUsage()) {
          ObjectNode usage = chunkHead(r);
          usage.putArray("choices");
          usage.set("usage", usage(result));
          out.append(eventText(usage));
        }
        out.append("data: [DONE]\n\n");
        yield out.toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  /** A whole, non-streamed answer. */
  byte[] whole(Reply r, Result result) {
    return switch (this) {
      case CHAT, GENERATE -> line(nativeFinal(r, result.text(), result));
      case OPENAI -> {
        ObjectNode o = HttpIo.JSON.createObjectNode();
        o.put("id", "chatcmpl-" + r.id());
        o.put("object", "chat.completion");
        o.put("created", r.created().getEpochSecond());
        o.put("model", r.model());
        o.put("system_fingerprint", "fp_ollama");
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", result.text());
        choice.put("finish_reason", finishReason(result.doneReason()));
        o.set("usage", usage(result));
        yield line(o);
      }
    };
  }

  /** A load-only answer ({@code done_reason} load or unload): native endpoints only. */
  byte[] loadOnly(Reply r, String doneReason) {
    ObjectNode o = nativeHead(r, "");
    o.put("done", true);
    o.put("done_reason", doneReason);
    return line(o);
  }

  /**
   * A line that is not valid JSON: a token line cut in the middle, as a broken proxy might send.
   */
  byte[] malformed(Reply r) {
    String full = json(this == OPENAI ? chunk(r, "x", null) : nativeHead(r, "x"));
    String cut = full.substring(0, full.length() / 2);
    return (this == OPENAI ? "data: " + cut + "\n\n" : cut + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** An error body in this endpoint's shape. */
  byte[] error(ApiError e) {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    if (this == OPENAI) {
      ObjectNode err = o.putObject("error");
      err.put("message", e.getMessage());
      err.put("type", e.openAiType());
      err.putNull("param");
      err.putNull("code");
    } else {
      o.put("error", e.getMessage());
    }
    return line(o);
  }

  private ObjectNode nativeHead(Reply r, String content) {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put("model", r.model());
    o.put("created_at", Instant.now().toString());
    if (this == CHAT) {
      o.putObject("message").put("role", "assistant").put("content", content);
    } else {
      o.put("response", content);
    }
    return o;
  }

  private ObjectNode nativeFinal(Reply r, String content, Result result) {
    ObjectNode o = nativeHead(r, content);
    o.put("done", true);
    o.put("done_reason", result.doneReason());
    putNonZero(o, "total_duration", result.totalNanos());
    putNonZero(o, "load_duration", result.loadNanos());
    putNonZero(o, "prompt_eval_count", result.promptTokens());
    putNonZero(o, "prompt_eval_duration", result.promptNanos());
    putNonZero(o, "eval_count", result.evalCount());
    putNonZero(o, "eval_duration", result.evalNanos());
    return o;
  }

  private static void putNonZero(ObjectNode o, String key, long value) {
    if (value != 0) {
      o.put(key, value);
    }
  }

  private static ObjectNode chunkHead(Reply r) {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put("id", "chatcmpl-" + r.id());
    o.put("object", "chat.completion.chunk");
    o.put("created", r.created().getEpochSecond());
    o.put("model", r.model());
    o.put("system_fingerprint", "fp_ollama");
    return o;
  }

  private static ObjectNode chunk(Reply r, String content, String finishReason) {
    ObjectNode o = chunkHead(r);
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta").put("role", "assistant").put("content", content);
    choice.put("finish_reason", finishReason);
    return o;
  }

  private static ObjectNode usage(Result result) {
    ObjectNode u = HttpIo.JSON.createObjectNode();
    u.put("prompt_tokens", result.promptTokens());
    u.put("completion_tokens", result.evalCount());
    u.put("total_tokens", result.promptTokens() + result.evalCount());
    return u;
  }

  private static String finishReason(String doneReason) {
    return SimulatedAnswer.LENGTH.equals(doneReason) ? "length" : "stop";
  }

  private static byte[] line(ObjectNode o) {
    return (json(o) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] event(ObjectNode o) {
    return eventText(o).getBytes(StandardCharsets.UTF_8);
  }

  private static String eventText(ObjectNode o) {
    return "data: " + json(o) + "\n\n";
  }

  private static String json(ObjectNode o) {
    return HttpIo.JSON.writeValueAsString(o);
  }
}
