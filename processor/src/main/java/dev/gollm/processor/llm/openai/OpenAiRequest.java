package dev.gollm.processor.llm.openai;

import dev.gollm.processor.llm.ChatRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a {@code /v1/chat/completions} request. {@link ChatRequest#options()} come in
 * Ollama's names (see PromptBuilder); they map as docs/operations.md's table shows: OpenAI's own
 * fields everywhere, {@code top_k}, {@code min_p} and the repetition penalty only for server
 * families that take them, everything else (such as {@code num_ctx}) dropped.
 */
final class OpenAiRequest {
  /** Ollama option name → OpenAI field, sent to every server. */
  private static final Map<String, String> STANDARD =
      Map.of(
          "temperature", "temperature",
          "top_p", "top_p",
          "seed", "seed",
          "stop", "stop",
          "presence_penalty", "presence_penalty",
          "frequency_penalty", "frequency_penalty",
          "num_predict", "max_tokens");

  private static final Map<String, String> VLLM =
      Map.of("top_k", "top_k", "min_p", "min_p", "repeat_penalty", "repetition_penalty");

  private static final Map<String, String> LLAMA_CPP =
      Map.of("top_k", "top_k", "min_p", "min_p", "repeat_penalty", "repeat_penalty");

  private OpenAiRequest() {}

  /**
   * @param stream ask for the answer as a stream of chunks, the usage in a last one
   */
  static Map<String, Object> body(ChatRequest request, ServerFamily family, boolean stream) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", request.model());
    List<Map<String, String>> messages = new ArrayList<>(2);
    if (!request.system().isEmpty()) {
      messages.add(Map.of("role", "system", "content", request.system()));
    }
    messages.add(Map.of("role", "user", "content", request.user()));
    body.put("messages", messages);
    body.put("stream", stream);
    if (stream) {
      body.put("stream_options", Map.of("include_usage", true));
    }
    Map<String, String> extras =
        switch (family) {
          case VLLM -> VLLM;
          case LLAMA_CPP -> LLAMA_CPP;
          case GENERIC -> Map.of();
        };
    request
        .options()
        .forEach(
            (name, value) -> {
              String field = STANDARD.getOrDefault(name, extras.get(name));
              if (field != null) {
                body.put(field, value);
              }
            });
    return body;
  }
}
