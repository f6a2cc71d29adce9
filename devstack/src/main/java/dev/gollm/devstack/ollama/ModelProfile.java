package dev.gollm.devstack.ollama;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated model: its name and its latency profile. Metadata shown by /api/tags and /api/show
 * (family, parameter size, file size, digest) is derived from the name.
 *
 * @param name the model name; normalized to carry a tag ({@code :latest} when none was given)
 * @param loadTime how long loading takes on first use and after keep_alive expiry
 * @param timeToFirstToken time from the loaded model to the first token (prompt evaluation)
 * @param tokensPerSecond generation speed after the first token
 * @param answerLength how many tokens an answer has when nothing cuts it
 * @param numCtx the context window, in tokens, of a request that sets no {@code options.num_ctx}
 *     (Ollama's OLLAMA_CONTEXT_LENGTH, or a Modelfile's {@code PARAMETER num_ctx}); at most {@link
 *     #CONTEXT_LENGTH}
 */
public record ModelProfile(
    String name,
    Duration loadTime,
    Duration timeToFirstToken,
    double tokensPerSecond,
    AnswerLength answerLength,
    int numCtx) {

  /**
   * The context length the model was trained for, reported by /api/show's {@code model_info}; a
   * larger {@code num_ctx} is cut to it, as Ollama does.
   */
  public static final int CONTEXT_LENGTH = 8192;

  /** The context window when neither the profile nor the request sets one (Ollama's default). */
  public static final int DEFAULT_NUM_CTX = 4096;

  private static final Pattern PARAMS = Pattern.compile("(\\d+(?:\\.\\d+)?)([mb])");

  public ModelProfile {
    name = ModelName.normalize(name);
    requireNonNegative(loadTime, "loadTime");
    requireNonNegative(timeToFirstToken, "timeToFirstToken");
    if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException(
          "model " + name + ": tokensPerSecond " + tokensPerSecond + " must be a positive number");
    }
    if (answerLength == null) {
      throw new IllegalArgumentException("model " + name + ": answerLength is required");
    }
    if (numCtx < 1 || numCtx > CONTEXT_LENGTH) {
      throw new IllegalArgumentException(
          "model " + name + ": numCtx " + numCtx + " must be within 1.." + CONTEXT_LENGTH);
    }
  }

  /** A profile with the default context window ({@link #DEFAULT_NUM_CTX}). */
  public ModelProfile(
      String name,
      Duration loadTime,
      Duration timeToFirstToken,
      double tokensPerSecond,
      AnswerLength answerLength) {
    this(name, loadTime, timeToFirstToken, tokensPerSecond, answerLength, DEFAULT_NUM_CTX);
  }

  /**
   * A model with fast test defaults: load 10 ms, first token after 5 ms, 200 tok/s, 12 tokens, a
   * context window of 4096 tokens.
   */
  public static ModelProfile fast(String name) {
    return new ModelProfile(
        name, Duration.ofMillis(10), Duration.ofMillis(5), 200, AnswerLength.DEFAULT);
  }

  public ModelProfile withLoadTime(Duration value) {
    return new ModelProfile(name, value, timeToFirstToken, tokensPerSecond, answerLength, numCtx);
  }

  public ModelProfile withTimeToFirstToken(Duration value) {
    return new ModelProfile(name, loadTime, value, tokensPerSecond, answerLength, numCtx);
  }

  public ModelProfile withTokensPerSecond(double value) {
    return new ModelProfile(name, loadTime, timeToFirstToken, value, answerLength, numCtx);
  }

  public ModelProfile withAnswerLength(AnswerLength value) {
    return new ModelProfile(name, loadTime, timeToFirstToken, tokensPerSecond, value, numCtx);
  }

  public ModelProfile withNumCtx(int value) {
    return new ModelProfile(name, loadTime, timeToFirstToken, tokensPerSecond, answerLength, value);
  }

  /**
   * The context window a request runs with: its {@code num_ctx} when positive, else the profile's;
   * never more than {@link #CONTEXT_LENGTH}.
   */
  public int contextFor(GenerationOptions options) {
    Integer asked = options.numCtx();
    return Math.min(CONTEXT_LENGTH, asked != null && asked > 0 ? asked : numCtx);
  }

  /** Time between two tokens. */
  public Duration tokenInterval() {
    return Duration.ofNanos(Math.round(1e9 / tokensPerSecond));
  }

  /**
   * The name without its tag, and without a trailing version such as "3.2": "llama3.2" → "llama".
   */
  public String family() {
    String base = name.substring(name.lastIndexOf('/') + 1, name.lastIndexOf(':'));
    return base.startsWith("llama") ? "llama" : base;
  }

  /** "1B", "500M", "3.2B" from the tag or name, or "1B" when neither says. */
  public String parameterSize() {
    Matcher m = PARAMS.matcher(name.substring(name.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT));
    if (m.matches()) {
      return m.group(1) + m.group(2).toUpperCase(Locale.ROOT);
    }
    return "1B";
  }

  /** A plausible Q4 file size: about 0.6 bytes per parameter. */
  public long sizeBytes() {
    String p = parameterSize();
    double count = Double.parseDouble(p.substring(0, p.length() - 1));
    double scale = p.endsWith("M") ? 1e6 : 1e9;
    return Math.round(count * scale * 0.6) + 815_319;
  }

  /** The 64-hex-digit manifest digest (SHA-256 of the name). */
  public String digest() {
    return sha256Hex("manifest:" + name);
  }

  /** The digest of one of the model's layers (0 = weights, 1 = template, 2 = params). */
  String layerDigest(int layer) {
    return sha256Hex("layer" + layer + ":" + name);
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void requireNonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
    }
  }
}
