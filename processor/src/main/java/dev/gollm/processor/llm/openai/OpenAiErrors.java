package dev.gollm.processor.llm.openai;

import dev.gollm.processor.json.Json;
import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonString;
import dev.gollm.processor.json.JsonValue;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import java.time.Duration;
import java.util.Optional;

/**
 * What an OpenAI-compatible server's error answer means for the task. The status decides (never the
 * text): 400, 404, 413 and 422 fail the task with the server's message (a prompt longer than the
 * context, an unknown model); 401 and 403 are configuration and keep the task; 408, 429 and 5xx are
 * retried, honouring Retry-After.
 */
final class OpenAiErrors {
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private OpenAiErrors() {}

  static LlmException forStatus(int status, String body, String retryAfter, String where) {
    String message = where + " answered HTTP " + status + ": " + message(body);
    return switch (status) {
      case 401, 403 ->
          new LlmException.Retryable(Failure.UNAUTHORIZED, message + " (check LLM_API_KEY)", null);
      case 429, 503 ->
          new LlmException.Retryable(Failure.BUSY, message, null, retryAfter(retryAfter));
      case 408 -> new LlmException.Retryable(Failure.TIMEOUT, message, null);
      default ->
          status >= 500
              ? new LlmException.Retryable(
                  Failure.SERVER_ERROR, message, null, retryAfter(retryAfter))
              : new LlmException.Permanent(message, null);
    };
  }

  /** A Retry-After in seconds (the HTTP-date form is rare on these servers and ignored). */
  static Duration retryAfter(String header) {
    if (header == null || !header.strip().matches("\\d{1,9}")) {
      return null;
    }
    Duration d = Duration.ofSeconds(Long.parseLong(header.strip()));
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }

  /**
   * The message of an error body in any of the shapes servers use: {@code {"error":{"message"}}}
   * (OpenAI, llama-server, Ollama), {@code {"message"}} (vLLM), {@code {"error":"..."}} (TGI); else
   * the body itself, shortened.
   */
  static String message(String body) {
    try {
      Optional<String> m = find(Json.parse(body));
      if (m.isPresent()) {
        return m.get();
      }
    } catch (JsonException e) {
      // not JSON (a proxy's HTML page): shown as it is
    }
    return abbreviate(body.strip());
  }

  static String message(JsonValue node) {
    return find(node).orElseGet(() -> abbreviate(node.toString()));
  }

  private static Optional<String> find(JsonValue node) {
    JsonValue error = node.path("error");
    if (error.path("message") instanceof JsonString(String m)) {
      return Optional.of(m);
    }
    if (error instanceof JsonString(String m)) {
      return Optional.of(m);
    }
    if (node.path("message") instanceof JsonString(String m)) {
      return Optional.of(m);
    }
    return Optional.empty();
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
