package dev.gollm.processor.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiAnswerTest {
  private final OpenAiAnswer stream = new OpenAiAnswer(1000);

  @Test
  void takesTheContentOfTheFirstChoiceAndSkipsTheRest() {
    stream.accept(
        """
        {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",\
        "system_fingerprint":"fp","choices":[{"index":1,"delta":{"content":"other"}},\
        {"index":0,"delta":{"role":"assistant","content":"Blue"},"finish_reason":null}]}""");
    stream.accept(
        """
        {"choices":[{"delta":{"content":" mug."},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":9,"completion_tokens":2}}""");

    assertThat(stream.accept("[DONE]")).isTrue();
    assertThat(stream.summary())
        .isEqualTo(new OpenAiAnswer.Summary("Blue mug.", "stop", 9, 2, -1, 2));
  }

  @Test
  void aChunkThatIsNotJsonIsABrokenStream() {
    assertThatThrownBy(() -> stream.accept("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessageStartingWith("malformed chunk in the stream: {\"choices\"");
  }

  @Test
  void aMalformedFieldNobodyReadsStillBreaksTheStream() {
    assertThatThrownBy(() -> stream.accept("{\"id\":\"c1\\q\",\"choices\":[]}"))
        .isInstanceOf(LlmException.Retryable.class)
        .hasMessageStartingWith("malformed chunk in the stream");
  }

  @Test
  void aWholeCompletionGivesTheMessageTheFinishReasonAndTheUsage() {
    stream.acceptWhole(
        new String(FixtureServer.fixture("openai-chat-completion.json"), StandardCharsets.UTF_8));

    OpenAiAnswer.Summary s = stream.summary();
    assertThat(s.text()).startsWith("Glazed in calm matte blue").endsWith("when you are done.");
    assertThat(s.finishReason()).isEqualTo("stop");
    assertThat(s.promptTokens()).isEqualTo(58);
    assertThat(s.completionTokens()).isEqualTo(34);
    assertThat(s.serverEvalNanos()).as("no timings").isEqualTo(-1);
  }

  @Test
  void aWholeLlamaServerCompletionTakesItsGeneratingTimeFromTheTimings() {
    stream.acceptWhole(
        """
        {"choices":[{"index":0,"message":{"role":"assistant","content":"Blue mug."},        "finish_reason":"stop"}],"timings":{"prompt_n":9,"predicted_n":3,"predicted_ms":42.5}}""");

    assertThat(stream.summary())
        .isEqualTo(new OpenAiAnswer.Summary("Blue mug.", "stop", 9, 3, 42_500_000, 1));
  }

  @Test
  void anErrorObjectInPlaceOfAWholeCompletionIsAServerErrorToRetry() {
    assertThatThrownBy(
            () -> stream.acceptWhole("{\"error\":{\"message\":\"out of memory\",\"code\":500}}"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessage("the server answered with an error: out of memory");
  }

  @Test
  void jsonThatIsNoObjectIsABrokenStream() {
    assertThatThrownBy(() -> stream.accept("[1,2]"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessage("chunk is not a JSON object: [1,2]");
  }

  @Test
  void anErrorWithoutAMessageIsShownAsTheWholeChunk() {
    assertThatThrownBy(() -> stream.accept("{\"id\":\"c1\",\"object\":\"error\",\"code\":500}"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessage(
            "the server failed mid-stream: {\"id\":\"c1\",\"object\":\"error\",\"code\":500}");
  }

  @Test
  void aNullErrorIsNoError() {
    assertThat(stream.accept("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"a\"}}]}"))
        .isFalse();
    assertThat(stream.length()).isEqualTo(1);
  }
}
