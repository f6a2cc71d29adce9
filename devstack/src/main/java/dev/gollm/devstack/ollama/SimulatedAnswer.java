package dev.gollm.devstack.ollama;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The simulator's answer to a generation request, derived only from the request, so a test can
 * compute what the simulator will say.
 *
 * <p>The rule:
 *
 * <ol>
 *   <li><b>Digest.</b> {@code SHA-256} over the UTF-8 bytes of {@code normalizedModel + "\n" +
 *       system + "\n" + user + "\n" + options.canonical()} ({@link ModelName#normalize}, {@code
 *       system} and {@code user} are "" when absent; see {@link GenerationOptions#canonical()}).
 *       The first 4 bytes as 8 lower-case hex digits are the short digest.
 *   <li><b>Tokens.</b> Token 0 is {@code "sim-" + shortDigest}. Token {@code i >= 1} is a space
 *       followed by word {@code (i - 1) mod n} of the user text, where the words are the user text
 *       split on whitespace ({@code n} of them; the single word {@code "empty"} when there are
 *       none). Example for user text "red mug": {@code "sim-1a2b3c4d red mug red mug ..."}.
 *   <li><b>Length.</b> The model's {@link AnswerLength} gives {@code L}: its {@code min} plus bytes
 *       4..11 of the digest (a big-endian long) modulo {@code max - min + 1}. When {@code
 *       num_predict > 0} and smaller than {@code L}, only {@code num_predict} tokens are generated
 *       and done_reason is {@code length}; otherwise done_reason is {@code stop}.
 *   <li><b>Stop strings.</b> The text of the generated tokens is cut before the earliest occurrence
 *       of any non-empty {@code stop} string; done_reason is then {@code stop}, and eval_count
 *       counts the tokens up to the one that completed the stop string.
 * </ol>
 *
 * @param digest the 8-hex-digit short digest that starts the text
 * @param pieces the text of each generated token in order (its size is the eval count); the last
 *     pieces may be shortened or empty when a stop string cut the text
 * @param doneReason {@code stop} or {@code length}
 */
public record SimulatedAnswer(String digest, List<String> pieces, String doneReason) {
  /** Done reason when the answer ended by itself or at a stop string. */
  public static final String STOP = "stop";

  /** Done reason when {@code num_predict} cut the answer. */
  public static final String LENGTH = "length";

  public SimulatedAnswer {
    pieces = List.copyOf(pieces);
  }

  /** The whole answer text. */
  public String text() {
    return String.join("", pieces);
  }

  /** How many tokens were generated (Ollama's eval_count). */
  public int evalCount() {
    return pieces.size();
  }

  /** The answer for a request, following the rule in the class comment. */
  public static SimulatedAnswer of(
      String model, String system, String user, GenerationOptions options, AnswerLength length) {
    byte[] sha = sha256(model, system, user, options);
    String digest = HexFormat.of().formatHex(sha, 0, 4);
    int natural = length.pick(ByteBuffer.wrap(sha, 4, 8).getLong());
    Integer numPredict = options.numPredict();
    boolean limited = numPredict != null && numPredict > 0 && numPredict < natural;
    int count = limited ? numPredict : natural;

    String[] words = user == null || user.isBlank() ? new String[0] : user.strip().split("\\s+");
    List<String> tokens = new ArrayList<>(count);
    tokens.add("sim-" + digest);
    for (int i = 1; i < count; i++) {
      tokens.add(" " + (words.length == 0 ? "empty" : words[(i - 1) % words.length]));
    }
    return cutAtStop(digest, tokens, options.stop(), limited ? LENGTH : STOP);
  }

  /** The answer text a request will get from a model with the given answer length. */
  public static String expectedText(
      String model, String system, String user, GenerationOptions options, AnswerLength length) {
    return of(model, system, user, options, length).text();
  }

  /** The answer text a request will get from a model with the default length of 12 tokens. */
  public static String expectedText(
      String model, String system, String user, GenerationOptions options) {
    return expectedText(model, system, user, options, AnswerLength.DEFAULT);
  }

  /** The 8-hex-digit digest that starts the answer to a request. */
  public static String digest(String model, String system, String user, GenerationOptions options) {
    return HexFormat.of().formatHex(sha256(model, system, user, options), 0, 4);
  }

  private static SimulatedAnswer cutAtStop(
      String digest, List<String> tokens, List<String> stops, String reasonWithoutStop) {
    String text = String.join("", tokens);
    int cut = -1;
    int cutEnd = -1;
    for (String s : stops) {
      if (s.isEmpty()) {
        continue;
      }
      int at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
        cutEnd = at + s.length();
      }
    }
    if (cut < 0) {
      return new SimulatedAnswer(digest, tokens, reasonWithoutStop);
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (String token : tokens) {
      if (start >= cutEnd) {
        break;
      }
      int end = start + token.length();
      pieces.add(token.substring(0, Math.max(0, Math.min(end, cut) - start)));
      start = end;
    }
    return new SimulatedAnswer(digest, pieces, STOP);
  }

  private static byte[] sha256(
      String model, String system, String user, GenerationOptions options) {
    String input =
        ModelName.normalize(model)
            + "\n"
            + (system == null ? "" : system)
            + "\n"
            + (user == null ? "" : user)
            + "\n"
            + options.canonical();
    try {
      return MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
