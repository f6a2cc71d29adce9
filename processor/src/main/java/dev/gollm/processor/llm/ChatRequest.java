package dev.gollm.processor.llm;

import java.util.Map;

/**
 * One chat generation: the model, the system prompt, the user's text and Ollama {@code options}.
 */
public record ChatRequest(String model, String system, String user, Map<String, Object> options) {
  public ChatRequest {
    options = Map.copyOf(options);
  }
}
