package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonValue;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What the processor reads of one line of Ollama's streamed {@code /api/chat} answer. Read straight
 * off the streaming parser rather than through a tree: a line arrives per token, and of its fields
 * only the message's content and, in the last line, the counts matter. Values convert as {@link
 * JsonValue}'s {@code as...} methods do; a line that is JSON but no object says nothing.
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
    return Json.parse(line, ChatChunk::read);
  }

  private static ChatChunk read(JsonParser parser) {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return NOTHING;
    }
    JsonValue error = null;
    String content = "";
    boolean done = false;
    String doneReason = null;
    long evalCount = 0;
    long evalDuration = 0;
    long promptEvalCount = 0;
    long loadDuration = 0;
    for (String name = parser.nextName(); name != null; name = parser.nextName()) {
      parser.nextToken();
      switch (name) {
        case "message" -> content = content(parser);
        case "error" -> error = Json.value(parser);
        case "done" -> done = Json.value(parser).asBoolean(false);
        case "done_reason" -> {
          JsonValue reason = Json.value(parser);
          doneReason = reason instanceof JsonNull ? null : reason.asString();
        }
        case "eval_count" -> evalCount = Json.value(parser).asLong(0);
        case "eval_duration" -> evalDuration = Json.value(parser).asLong(0);
        case "prompt_eval_count" -> promptEvalCount = Json.value(parser).asLong(0);
        case "load_duration" -> loadDuration = Json.value(parser).asLong(0);
        default -> parser.skipChildren();
      }
    }
    return new ChatChunk(
        error, content, done, doneReason, evalCount, evalDuration, promptEvalCount, loadDuration);
  }

  /** The {@code content} of the message the parser stands on. */
  private static String content(JsonParser parser) {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return "";
    }
    String content = "";
    for (String name = parser.nextName(); name != null; name = parser.nextName()) {
      parser.nextToken();
      if (name.equals("content")) {
        content = Json.value(parser).asString("");
      } else {
        parser.skipChildren();
      }
    }
    return content;
  }
}
