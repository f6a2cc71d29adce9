package dev.gollm.processor.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import org.junit.jupiter.api.Test;

class OpenAiStreamTest {
  private final OpenAiStream stream = new OpenAiStream(1000);

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
        .isEqualTo(new OpenAiStream.Summary("Blue mug.", "stop", 9, 2, -1, 2));
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
