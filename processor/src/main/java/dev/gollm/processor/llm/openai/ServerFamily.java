package dev.gollm.processor.llm.openai;

import java.util.Locale;

/**
 * Which kind of OpenAI-compatible server answers, as its model list tells ({@code owned_by}). It
 * decides which sampling parameters beyond OpenAI's own are sent: servers that do not know a field
 * may reject the request, so extras go only to families known to accept them.
 */
public enum ServerFamily {
  /** vLLM: takes {@code top_k}, {@code min_p} and {@code repetition_penalty}. */
  VLLM,
  /** llama.cpp's llama-server: takes {@code top_k}, {@code min_p} and {@code repeat_penalty}. */
  LLAMA_CPP,
  /** Anything else (OpenAI, LM Studio, TGI, Ollama's /v1): OpenAI's fields only. */
  GENERIC;

  /** The family named by a model entry's {@code owned_by}. */
  static ServerFamily fromOwnedBy(String ownedBy) {
    return switch (ownedBy == null ? "" : ownedBy.toLowerCase(Locale.ROOT)) {
      case "vllm" -> VLLM;
      case "llamacpp" -> LLAMA_CPP;
      default -> GENERIC;
    };
  }

  /** As shown in /ready and logs. */
  public String label() {
    return switch (this) {
      case VLLM -> "vllm";
      case LLAMA_CPP -> "llama.cpp";
      case GENERIC -> "generic";
    };
  }
}
