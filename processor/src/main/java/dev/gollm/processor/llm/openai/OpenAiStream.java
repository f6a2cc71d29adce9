package dev.gollm.processor.llm.openai;

import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code data:} payloads of a streamed chat completion, one event at a time: the text of
 * {@code choices[0].delta.content}, the {@code finish_reason}, token counts from a {@code usage}
 * chunk (or llama-server's {@code timings}), and {@code [DONE]}. Tolerates what servers vary in
 * (role-only first chunks, {@code null} content and usage, empty {@code choices}, extra fields); an
 * {@code error} object in place of choices, a chunk that is not JSON, or an answer longer than the
 * bound ends the attempt. Not thread-safe.
 */
final class OpenAiStream {
  private static final JsonMapper JSON = JsonMapper.shared();

  /** What the stream said once it is done; a count or time the server did not give is -1. */
  record Summary(
      String text,
      String finishReason,
      long promptTokens,
      long completionTokens,
      long serverEvalNanos,
      int contentChunks) {}

  private final int maxAnswerChars;
  private final StringBuilder text = new StringBuilder();
  private String finishReason;
  private long promptTokens = -1;
  private long completionTokens = -1;
  private long serverEvalNanos = -1;
  private int contentChunks;
  private boolean done;

  OpenAiStream(int maxAnswerChars) {
    this.maxAnswerChars = maxAnswerChars;
  }

  /**
   * Takes one event's data; returns true once the stream said {@code [DONE]}.
   *
   * @throws LlmException.Retryable for an error event or a chunk that cannot be read
   * @throws LlmException.Permanent when the answer grows past the bound
   */
  boolean accept(String data) {
    if (done) {
      return true;
    }
    String payload = data.strip();
    if (payload.equals("[DONE]")) {
      done = true;
      return true;
    }
    if (payload.isEmpty()) {
      return false;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(payload);
    } catch (JacksonException e) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM,
          "malformed chunk in the stream: " + OpenAiErrors.abbreviate(payload),
          e);
    }
    if (chunk == null || !chunk.isObject()) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM,
          "chunk is not a JSON object: " + OpenAiErrors.abbreviate(payload),
          null);
    }
    if (chunk.hasNonNull("error") || chunk.path("object").asString("").equals("error")) {
      // An error after the answer began carries no status: the server failed mid-answer.
      throw new LlmException.Retryable(
          Failure.SERVER_ERROR,
          "the server failed mid-stream: " + OpenAiErrors.message(chunk),
          null);
    }
    JsonNode choice = firstChoice(chunk.path("choices"));
    if (choice != null) {
      JsonNode content = choice.path("delta").path("content");
      if (content.isString() && !content.stringValue().isEmpty()) {
        append(content.stringValue());
      }
      JsonNode finish = choice.path("finish_reason");
      if (finish.isString()) {
        finishReason = finish.stringValue();
      }
    }
    JsonNode usage = chunk.path("usage");
    if (usage.isObject()) {
      promptTokens = usage.path("prompt_tokens").asLong(promptTokens);
      completionTokens = usage.path("completion_tokens").asLong(completionTokens);
    }
    JsonNode timings = chunk.path("timings");
    if (timings.isObject()) {
      if (promptTokens < 0) {
        promptTokens = timings.path("prompt_n").asLong(-1);
      }
      if (completionTokens < 0) {
        completionTokens = timings.path("predicted_n").asLong(-1);
      }
      double predictedMs = timings.path("predicted_ms").asDouble(-1);
      if (predictedMs >= 0) {
        serverEvalNanos = Math.round(predictedMs * 1e6);
      }
    }
    return false;
  }

  /** The choice with index 0 (servers streaming one choice may leave the index out). */
  private static JsonNode firstChoice(JsonNode choices) {
    for (JsonNode c : choices) {
      if (c.path("index").asInt(0) == 0) {
        return c;
      }
    }
    return null;
  }

  private void append(String piece) {
    if (text.length() + piece.length() > maxAnswerChars) {
      throw new LlmException.Permanent(
          "the answer grew past "
              + maxAnswerChars
              + " characters; limit it with max_tokens in ollama_params",
          null);
    }
    text.append(piece);
    contentChunks++;
  }

  /** Characters of answer so far. */
  int length() {
    return text.length();
  }

  Summary summary() {
    return new Summary(
        text.toString(),
        finishReason,
        promptTokens,
        completionTokens,
        serverEvalNanos,
        contentChunks);
  }
}
