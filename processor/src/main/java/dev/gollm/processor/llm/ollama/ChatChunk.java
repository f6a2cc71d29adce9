package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonObject;
import dev.gollm.processor.json.JsonValue;

/**
 * What the processor reads of one line of Ollama's streamed {@code /api/chat} answer: a line
 * arrives per token, and of its fields only the message's content and, in the last line, the counts
 * matter. Values convert as {@link JsonValue}'s {@code as...} methods do; a line that is JSON but
 * no object says nothing.
 *
 * @param error what Ollama reported in place of a chunk, or null when it reported nothing
 * @param content the piece of the answer, empty when there is none
 * @param doneReason why the generation stopped, or null
 */
record ChatChunk(
    JsonValue error,
    String content,
    boolean done,
    String doneReason,
    long evalCount,
    long evalDurationNanos,
    long promptEvalCount,
    long loadDurationNanos) {

  private static final ChatChunk NOTHING = new ChatChunk(null, "", false, null, 0, 0, 0, 0);

  /**
   * Reads one line.
   *
   * @throws JsonException when the line is not one well-formed JSON value
   */
  static ChatChunk parse(String line) {
    if (!(Json.parse(line) instanceof JsonObject chunk)) {
      return NOTHING;
    }
    JsonValue doneReason = chunk.get("done_reason");
    return new ChatChunk(
        chunk.get("error"),
        chunk.path("message").path("content").asString(""),
        chunk.path("done").asBoolean(false),
        doneReason == null || doneReason instanceof JsonNull ? null : doneReason.asString(),
        chunk.path("eval_count").asLong(0),
        chunk.path("eval_duration").asLong(0),
        chunk.path("prompt_eval_count").asLong(0),
        chunk.path("load_duration").asLong(0));
  }
}
