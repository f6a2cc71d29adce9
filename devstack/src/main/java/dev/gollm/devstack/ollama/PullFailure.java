package dev.gollm.devstack.ollama;

import java.util.Locale;

/**
 * How a simulated pull fails, the ways a real one does: a network failure part-way, reported as an
 * error line or as a cut stream, or a final "no such model" answer from the registry.
 */
public enum PullFailure {
  /** The pull succeeds. */
  NONE,
  /**
   * After half of the first layer: {@code {"error":"max retries exceeded: ... connection reset by
   * peer"}} (status 200, or 500 when not streamed). Trying again can succeed.
   */
  TRANSIENT,
  /** After half of the first layer the connection is dropped: no error line, no success. */
  CUT,
  /**
   * After "pulling manifest": {@code {"error":"pull model manifest: file does not exist"}}, what
   * Ollama answers for a name the registry does not have. Trying again does not help.
   */
  FINAL;

  /** The name the admin API uses: none, transient, cut, final. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads an admin API name.
   *
   * @throws IllegalArgumentException for another word
   */
  public static PullFailure fromKey(String key) {
    for (PullFailure f : values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "'" + key + "' is not a pull failure; expected none, transient, cut or final");
  }
}
