package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import java.time.Duration;

/**
 * How the processor talks to Ollama.
 *
 * @param defaultModel MODEL_NAME: the model loaded at start, whose loading /ready reports
 * @param requestTimeout REQUEST_TIMEOUT: sending a generation to its last chunk
 * @param stream LLM_STREAM: ask for a streamed answer, a line per token
 * @param idleTimeout STREAM_IDLE_TIMEOUT: silence allowed between chunks after the first
 * @param pullTimeout PULL_TIMEOUT: a pull, its retries included
 * @param loadTimeout OLLAMA_LOAD_TIMEOUT: loading a model into memory
 * @param keepAlive OLLAMA_KEEP_ALIVE: sent as keep_alive; negative means for ever
 * @param numCtx OLLAMA_NUM_CTX: who sets the context window
 */
public record OllamaSettings(
    String defaultModel,
    Duration requestTimeout,
    boolean stream,
    Duration idleTimeout,
    Duration pullTimeout,
    Duration loadTimeout,
    Duration keepAlive,
    NumCtx numCtx) {

  /** The settings a processor configuration gives. */
  public static OllamaSettings from(ProcessorConfig config) {
    return new OllamaSettings(
        config.modelName(),
        config.requestTimeout(),
        config.llmStream(),
        config.streamIdleTimeout(),
        config.pullTimeout(),
        config.ollamaLoadTimeout(),
        config.ollamaKeepAlive(),
        config.ollamaNumCtx());
  }
}
