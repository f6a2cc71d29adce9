package dev.gollm.processor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WholeAnswerTest {
  private static ByteArrayInputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAnswerWithinTheBoundIsReadAsText() throws Exception {
    assertThat(WholeAnswer.read(body("{\"a\":\"€\"}"), 12, "ask for less"))
        .isEqualTo("{\"a\":\"€\"}");
  }

  @Test
  void anAnswerPastTheBoundFailsTheTaskWithHowToAskForLess() {
    assertThatThrownBy(() -> WholeAnswer.read(body("0123456789"), 9, "ask for less"))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessage("the answer is longer than 9 bytes; ask for less");
  }

  @Test
  void theFirstTokenCameWhenTheServerBeganGenerating() {
    assertThat(WholeAnswer.firstToken(false, 900, 700)).isEqualTo(Duration.ofNanos(200));
  }

  @Test
  void theFirstTokenIsUnknownWithoutAPlausibleGeneratingTimeOrWithoutText() {
    assertThat(WholeAnswer.firstToken(false, 900, -1)).as("not given").isNull();
    assertThat(WholeAnswer.firstToken(false, 900, 0)).as("zero").isNull();
    assertThat(WholeAnswer.firstToken(false, 900, 900)).as("as long as the wait").isNull();
    assertThat(WholeAnswer.firstToken(true, 900, 700)).as("nothing generated").isNull();
  }
}
