package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.LlmException;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing num_ctx and telling from prompt_eval_count that Ollama cut a prompt. */
class ContextWindowTest {
  private static final String MODEL = "gemma2:1b";

  /** A prompt of {@code words} one-letter words (the system prompt is one word). */
  private static ChatRequest prompt(int words, Map<String, Object> options) {
    return new ChatRequest(
        MODEL, "sys", String.join(" ", Collections.nCopies(words - 1, "w")), options);
  }

  @Test
  void theLowerEstimateCountsWordsPlusTheTemplate() {
    assertThat(ContextWindow.tokensAtLeast(prompt(100, Map.of()))).isEqualTo(108);
  }

  @Test
  void wordsEndAtWhatJavaCallsWhitespace() {
    // tab, LF, VT, FF, CR, a file separator and an em space split words; a no-break space does not
    String user = "a\tb\nc\u000Bd\fe\rf\u001Cg\u2003h\u00A0i  ";

    assertThat(ContextWindow.tokensAtLeast(new ChatRequest(MODEL, " sys ", user, Map.of())))
        .isEqualTo(1 + 8 + 8);
  }

  @Test
  void theGenerousEstimateCountsCharactersWhenTheyAreMore() {
    ChatRequest longWords = new ChatRequest(MODEL, "", "x".repeat(300), Map.of());

    assertThat(ContextWindow.tokensAtMost(longWords)).isEqualTo(100 + 8);
    assertThat(ContextWindow.tokensAtMost(prompt(100, Map.of()))).isEqualTo(108);
  }

  @Test
  void serverModeSendsNoWindowAndFixedModeItsNumber() {
    assertThat(new ContextWindow(NumCtx.SERVER).forRequest(prompt(10, Map.of()), 0)).isZero();
    assertThat(new ContextWindow(NumCtx.fixed(2048)).forRequest(prompt(10, Map.of()), 0))
        .isEqualTo(2048);
    assertThat(new ContextWindow(NumCtx.fixed(2048)).forLoad(MODEL)).isEqualTo(2048);
  }

  @Test
  void autoModeStartsAtTheDefaultWindowAndDoublesForPromptPlusAnswer() {
    ContextWindow auto = new ContextWindow(NumCtx.AUTO);

    assertThat(auto.forRequest(prompt(100, Map.of()), 0)).isEqualTo(ContextWindow.AUTO_MIN);
    assertThat(auto.forRequest(prompt(5000, Map.of("num_predict", 200)), 0)).isEqualTo(8192);
  }

  @Test
  void autoModeNeverShrinksAModelsWindowSoOllamaNeedNotReload() {
    ContextWindow auto = new ContextWindow(NumCtx.AUTO);
    auto.forRequest(prompt(5000, Map.of()), 0);

    assertThat(auto.forRequest(prompt(10, Map.of()), 0)).isEqualTo(8192);
    assertThat(auto.forLoad(MODEL)).isEqualTo(8192);
  }

  @Test
  void autoModeStaysWithinTheTrainedContextAndFailsAPromptThatCannotFitIt() {
    ContextWindow auto = new ContextWindow(NumCtx.AUTO);

    assertThat(auto.forRequest(prompt(5000, Map.of("num_predict", 100)), 6000)).isEqualTo(6000);
    assertThatThrownBy(() -> auto.forRequest(prompt(5000, Map.of("num_predict", 2000)), 6000))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("about 5008 tokens plus 2000")
        .hasMessageContaining("6000");
  }

  @Test
  void aPromptKnownNotToFitFailsBeforeItIsSent() {
    ContextWindow fixed = new ContextWindow(NumCtx.fixed(512));

    fixed.checkFits(prompt(500, Map.of()), 512);
    assertThatThrownBy(() -> fixed.checkFits(prompt(600, Map.of()), 512))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("at least 608 tokens")
        .hasMessageContaining("512")
        .hasMessageContaining("OLLAMA_NUM_CTX");
  }

  @Test
  void anUnknownWindowChecksOnlyTheCount() {
    ContextWindow server = new ContextWindow(NumCtx.SERVER);

    server.checkFits(prompt(100_000, Map.of()), 0);
    server.checkNotCut(prompt(1000, Map.of()), 0, 1008, 0);
    assertThatThrownBy(() -> server.checkNotCut(prompt(3000, Map.of()), 0, 2048, 0))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("an unknown size");
  }

  @Test
  void aCountThatFillsTheWindowMeansThePromptWasCut() {
    assertThat(ContextWindow.wasCut(prompt(100, Map.of()), 2048, 2048)).isTrue();
    assertThat(ContextWindow.wasCut(prompt(100, Map.of()), 2048, 2047)).isFalse();
  }

  @Test
  void aCountBelowThePromptsWordsMeansThePromptWasCutWhateverTheWindow() {
    assertThat(ContextWindow.wasCut(prompt(2100, Map.of()), 4096, 1900)).isTrue();
    assertThat(ContextWindow.wasCut(prompt(1800, Map.of()), 4096, 1900)).isFalse();
  }

  @Test
  void aMissingCountShowsNothing() {
    assertThat(ContextWindow.wasCut(prompt(3000, Map.of()), 2048, 0)).isFalse();
  }

  @Test
  void aCutPromptFailsItsTaskWithTheSizes() {
    ContextWindow server = new ContextWindow(NumCtx.SERVER);

    assertThatThrownBy(() -> server.checkNotCut(prompt(3000, Map.of()), 2048, 2048, 0))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("context window of 2048 tokens")
        .hasMessageContaining("evaluated 2048")
        .hasMessageContaining("at least 3008");
  }

  @Test
  void inAutoModeACutPromptIsRetriedWithADoubledWindowWhileTheModelAllows() {
    ContextWindow auto = new ContextWindow(NumCtx.AUTO);

    assertThatThrownBy(() -> auto.checkNotCut(prompt(3000, Map.of()), 4096, 4096, 8192))
        .isInstanceOf(LlmException.Retryable.class)
        .hasMessageContaining("trying again with 8192");
    assertThat(auto.forLoad(MODEL)).isEqualTo(8192);
    assertThatThrownBy(() -> auto.checkNotCut(prompt(9000, Map.of()), 8192, 8192, 8192))
        .isInstanceOf(LlmException.Permanent.class);
  }
}
