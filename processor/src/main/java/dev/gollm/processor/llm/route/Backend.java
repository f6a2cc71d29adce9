package dev.gollm.processor.llm.route;

import dev.gollm.processor.llm.LlmClient;

/** One LLM server as the router sees it: a client that also tells which models it may serve. */
public interface Backend extends LlmClient {
  /** The API it speaks, as /ready shows it: "ollama", "openai (vllm)" and so on. */
  String api();

  /**
   * False only when the server is known not to offer the model (an OpenAI-compatible server that
   * does not list it); an Ollama server may pull any model.
   */
  boolean mayServe(String model);
}
