package dev.gollm.processor.llm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What every API does with an answer that was not streamed: read it within a bound, and time it.
 */
public final class WholeAnswer {
  private WholeAnswer() {}

  /**
   * The body as UTF-8 text.
   *
   * @param limitHint how the task can ask for a shorter answer, for the error
   * @throws LlmException.Permanent when the body is longer than {@code maxBytes}
   */
  public static String read(InputStream body, int maxBytes, String limitHint) throws IOException {
    byte[] bytes = body.readNBytes(maxBytes);
    if (body.read() >= 0) {
      throw new LlmException.Permanent(
          "the answer is longer than " + maxBytes + " bytes; " + limitHint, null);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * When the first token came, counted from the request. Nothing in a whole answer marks it, so it
   * is the wait less the server's own time generating; null when nothing was generated or the
   * server gave no generating time shorter than the wait.
   */
  public static Duration firstToken(
      boolean generatedNothing, long elapsedNanos, long generatingNanos) {
    return generatedNothing || generatingNanos <= 0 || generatingNanos >= elapsedNanos
        ? null
        : Duration.ofNanos(elapsedNanos - generatingNanos);
  }
}
