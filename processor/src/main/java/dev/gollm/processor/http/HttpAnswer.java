package dev.gollm.processor.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete, bounded answer.
 *
 * @param headers the first value of each header, names in lower case
 * @param body the body, at most the bound the caller gave
 * @param truncated whether the body went on past the bound (the connection was dropped then)
 */
public record HttpAnswer(int status, Map<String, String> headers, byte[] body, boolean truncated) {
  public HttpAnswer {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header; the name in any case. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
