package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.LlmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context window ({@code num_ctx}) of generations, and the check that Ollama did not cut a
 * prompt. Ollama cuts a prompt longer than the window silently from the front (the system prompt
 * goes first) and answers anyway; only {@code prompt_eval_count} in the final chunk shows it: a cut
 * prompt counts exactly the window, and fewer tokens than the prompt has words. So a generation
 * fails when its prompt is known not to fit before it is sent, and when the count shows the cut
 * afterwards, even where the window was not known or Ollama changed it since the processor asked.
 * (An Ollama that counted only the prompt tokens missing from its cache would make a cached prompt
 * look cut.)
 *
 * <p>Prompt sizes are estimated two ways, since the model's tokenizer is Ollama's: at least one
 * token per word plus {@value #TEMPLATE_TOKENS} for the chat template (what proves a prompt too
 * long), and at most one token per {@value #CHARS_PER_TOKEN} characters, or per word if more (what
 * the automatic window makes room for).
 *
 * <p>With OLLAMA_NUM_CTX=auto the window is a power of two from {@value #AUTO_MIN} up, large enough
 * for the prompt and max_tokens (or {@value #ANSWER_RESERVE} tokens), at most the model's trained
 * context. It never shrinks for a model: every other size makes Ollama load the model again.
 */
final class ContextWindow {
  /** The smallest automatic window: Ollama's own default in recent versions. */
  static final int AUTO_MIN = 4096;

  /** Room left for the answer when a task sets no max_tokens. */
  static final int ANSWER_RESERVE = 1024;

  /** Tokens Ollama's chat template adds for a system and a user message. */
  static final int TEMPLATE_TOKENS = 8;

  /** Characters per token of the generous estimate; real tokenizers take 3 to 4 for English. */
  static final int CHARS_PER_TOKEN = 3;

  private final NumCtx setting;
  private final Map<String, Integer> autoFloor = new ConcurrentHashMap<>();

  ContextWindow(NumCtx setting) {
    this.setting = setting;
  }

  /** Whether the processor sizes the window for each prompt (OLLAMA_NUM_CTX=auto). */
  boolean isAuto() {
    return setting.mode() == NumCtx.Mode.AUTO;
  }

  /** The window to load the model with before any prompt is known; 0 leaves it to Ollama. */
  int forLoad(String model) {
    return switch (setting.mode()) {
      case SERVER -> 0;
      case FIXED -> setting.tokens();
      case AUTO -> autoFloor.getOrDefault(ModelCatalog.canonical(model), AUTO_MIN);
    };
  }

  /**
   * The window to send with this request; 0 leaves it to Ollama.
   *
   * @param trainedContext the model's trained context length, 0 when unknown
   * @throws LlmException.Permanent when in auto mode the prompt and answer exceed even that
   */
  int forRequest(ChatRequest request, int trainedContext) {
    if (setting.mode() != NumCtx.Mode.AUTO) {
      return forLoad(request.model());
    }
    String model = ModelCatalog.canonical(request.model());
    long needed = (long) tokensAtMost(request) + answerReserve(request);
    if (trainedContext > 0 && needed > trainedContext) {
      throw new LlmException.Permanent(
          "the prompt of about "
              + tokensAtMost(request)
              + " tokens plus "
              + answerReserve(request)
              + " for the answer exceeds the context of "
              + trainedContext
              + " tokens model "
              + model
              + " was trained for; shorten the product data or the prompt",
          null);
    }
    int size = forLoad(model);
    while (size < needed) {
      size *= 2;
    }
    if (trainedContext > 0) {
      size = Math.min(size, trainedContext);
    }
    int chosen = size;
    return autoFloor.merge(model, chosen, Math::max);
  }

  /**
   * Fails a request whose prompt cannot fit the known window ({@code window} 0: unknown, no check).
   */
  void checkFits(ChatRequest request, int window) {
    int atLeast = tokensAtLeast(request);
    if (window > 0 && atLeast > window) {
      throw new LlmException.Permanent(
          "the prompt has at least "
              + atLeast
              + " tokens but model "
              + request.model()
              + " runs with a context window of "
              + window
              + " tokens, so Ollama would cut it; "
              + advice(),
          null);
    }
  }

  /**
   * Fails a generation whose prompt Ollama cut, as {@code promptEvalCount} shows against the {@code
   * window} it ran with (0: unknown). In auto mode the window for the model grows and the failure
   * is retryable while it can grow; otherwise it is permanent.
   */
  void checkNotCut(ChatRequest request, int window, long promptEvalCount, int trainedContext) {
    if (!wasCut(request, window, promptEvalCount)) {
      return;
    }
    String message =
        "Ollama cut the prompt: model "
            + request.model()
            + " ran with a context window of "
            + (window > 0 ? window + " tokens" : "an unknown size")
            + ", evaluated "
            + promptEvalCount
            + " prompt tokens, and the prompt has at least "
            + tokensAtLeast(request)
            + " tokens";
    if (setting.mode() == NumCtx.Mode.AUTO
        && window > 0
        && (trainedContext == 0 || window < trainedContext)) {
      int larger = trainedContext == 0 ? window * 2 : Math.min(window * 2, trainedContext);
      autoFloor.merge(ModelCatalog.canonical(request.model()), larger, Math::max);
      throw new LlmException.Retryable(message + "; trying again with " + larger, null);
    }
    throw new LlmException.Permanent(message + "; " + advice(), null);
  }

  /**
   * Whether the count shows a cut: the model saw fewer tokens than the prompt has words, or the
   * prompt filled the whole window (Ollama cuts to exactly the window). A missing count (0) shows
   * nothing.
   */
  static boolean wasCut(ChatRequest request, int window, long promptEvalCount) {
    return promptEvalCount > 0
        && (promptEvalCount < tokensAtLeast(request) || (window > 0 && promptEvalCount >= window));
  }

  private String advice() {
    return setting.mode() == NumCtx.Mode.FIXED
        ? "shorten the product data or raise OLLAMA_NUM_CTX (now " + setting.tokens() + ")"
        : "shorten the product data or set OLLAMA_NUM_CTX to auto or a larger window";
  }

  /** A lower bound of the prompt's tokens: one per word, plus the template's. */
  static int tokensAtLeast(ChatRequest request) {
    return words(request.system()) + words(request.user()) + TEMPLATE_TOKENS;
  }

  /** A generous estimate of the prompt's tokens. */
  static int tokensAtMost(ChatRequest request) {
    int chars = length(request.system()) + length(request.user());
    int byChars = (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + TEMPLATE_TOKENS;
    return Math.max(byChars, tokensAtLeast(request));
  }

  private static int answerReserve(ChatRequest request) {
    return request.options().get("num_predict") instanceof Number n && n.intValue() > 0
        ? n.intValue()
        : ANSWER_RESERVE;
  }

  private static int words(String s) {
    if (s == null) {
      return 0;
    }
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = isWhitespace(s.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }

  /**
   * {@link Character#isWhitespace(char)}, with ASCII answered by comparisons: this runs over every
   * prompt's every character, interpreted in a freshly started processor.
   */
  private static boolean isWhitespace(char c) {
    if (c < 128) {
      return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    }
    return Character.isWhitespace(c);
  }

  private static int length(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }
}
