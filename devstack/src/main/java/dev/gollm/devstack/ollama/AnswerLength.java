package dev.gollm.devstack.ollama;

/**
 * How many tokens a model answers with before it stops on its own: a fixed count or a range from
 * which each request picks a count derived from its digest (so the same request always gets the
 * same length).
 */
public record AnswerLength(int min, int max) {
  /** The test default: 12 tokens. */
  public static final AnswerLength DEFAULT = fixed(12);

  public AnswerLength {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException(
          "answer length " + min + ".." + max + " is invalid; expected 1 <= min <= max");
    }
  }

  /** Always {@code tokens} tokens. */
  public static AnswerLength fixed(int tokens) {
    return new AnswerLength(tokens, tokens);
  }

  /** Between {@code min} and {@code max} tokens inclusive, chosen per request. */
  public static AnswerLength range(int min, int max) {
    return new AnswerLength(min, max);
  }

  /**
   * Parses {@code "12"} or {@code "8-16"}.
   *
   * @throws IllegalArgumentException naming the expected format
   */
  public static AnswerLength parse(String text) {
    String t = text == null ? "" : text.trim();
    try {
      int dash = t.indexOf('-');
      if (dash < 0) {
        return fixed(Integer.parseInt(t));
      }
      return range(Integer.parseInt(t.substring(0, dash)), Integer.parseInt(t.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "token count '" + text + "' is invalid; expected N or MIN-MAX, e.g. 12 or 8-16", e);
    }
  }

  /** The count for a request whose digest yields {@code bits}. */
  int pick(long bits) {
    return min + (int) Math.floorMod(bits, (long) max - min + 1);
  }

  @Override
  public String toString() {
    return min == max ? Integer.toString(min) : min + "-" + max;
  }
}
