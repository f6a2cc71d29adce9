package dev.gollm.processor.llm.openai;

import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonMissing;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonObject;
import dev.gollm.processor.json.JsonString;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;

/**
 * Reads a chat completion: the {@code data:} payloads of a streamed one, one event at a time, or a
 * whole one. It takes the text ({@code choices[0].delta.content} of each chunk, or {@code
 * choices[0].message.content}), the {@code finish_reason}, token counts from {@code usage} (or
 * llama-server's {@code timings}), and, streamed, {@code [DONE]}. Tolerates what servers vary in
 * (role-only first chunks, {@code null} content and usage, empty {@code choices}, extra fields); an
 * {@code error} object in place of choices, a payload that is not JSON, or an answer longer than
 * the bound ends the attempt. Not thread-safe.
 */
final class OpenAiAnswer {

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

  OpenAiAnswer(int maxAnswerChars) {
    this.maxAnswerChars = maxAnswerChars;
  }

  /**
   * Takes one streamed event's data; returns true once the stream said {@code [DONE]}.
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
    if (!payload.isEmpty()) {
      take(payload, false);
    }
    return false;
  }

  /**
   * Takes a whole completion, the answer to a request that did not ask for a stream.
   *
   * @throws LlmException.Retryable for an error object or a body that cannot be read
   * @throws LlmException.Permanent when the answer is longer than the bound
   */
  void acceptWhole(String json) {
    take(json.strip(), true);
    done = true;
  }

  private void take(String payload, boolean whole) {
    String what = whole ? "answer" : "chunk";
    Chunk chunk;
    try {
      chunk = Chunk.parse(payload);
    } catch (JsonException e) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM,
          "malformed "
              + (whole ? what : "chunk in the stream")
              + ": "
              + OpenAiErrors.abbreviate(payload),
          e);
    }
    if (chunk == null) {
      throw new LlmException.Retryable(
          Failure.BROKEN_STREAM,
          what + " is not a JSON object: " + OpenAiErrors.abbreviate(payload),
          null);
    }
    if (chunk.isError()) {
      // Streamed, an error after the answer began carries no status: it failed mid-answer.
      throw new LlmException.Retryable(
          Failure.SERVER_ERROR,
          (whole ? "the server answered with an error: " : "the server failed mid-stream: ")
              + OpenAiErrors.message(Json.parse(payload)),
          null);
    }
    JsonValue choice = firstChoice(chunk.choices());
    if (choice != null) {
      if (choice.path(whole ? "message" : "delta").path("content")
              instanceof JsonString(String content)
          && !content.isEmpty()) {
        append(content);
      }
      if (choice.path("finish_reason") instanceof JsonString(String finish)) {
        finishReason = finish;
      }
    }
    JsonValue usage = chunk.usage();
    if (usage instanceof JsonObject) {
      promptTokens = usage.path("prompt_tokens").asLong(promptTokens);
      completionTokens = usage.path("completion_tokens").asLong(completionTokens);
    }
    JsonValue timings = chunk.timings();
    if (timings instanceof JsonObject) {
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
  }

  /** The choice with index 0 (servers streaming one choice may leave the index out). */
  private static JsonValue firstChoice(JsonValue choices) {
    for (JsonValue c : choices.elements()) {
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

  /**
   * The members of a chunk the stream reads.
   *
   * @param isError whether the chunk is an error ({@code error} set, or {@code object} "error")
   */
  private record Chunk(boolean isError, JsonValue choices, JsonValue usage, JsonValue timings) {
    /**
     * Reads one payload; null when it is JSON but no object.
     *
     * @throws JsonException when it is not one well-formed JSON value
     */
    static Chunk parse(String payload) {
      if (!(Json.parse(payload) instanceof JsonObject chunk)) {
        return null;
      }
      JsonValue error = chunk.path("error");
      boolean isError =
          !(error instanceof JsonMissing || error instanceof JsonNull)
              || chunk.path("object").asString("").equals("error");
      return new Chunk(isError, chunk.path("choices"), chunk.path("usage"), chunk.path("timings"));
    }
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
