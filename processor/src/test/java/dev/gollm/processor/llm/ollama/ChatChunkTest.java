package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.json.JsonException;
import dev.gollm.processor.json.JsonNull;
import dev.gollm.processor.json.JsonString;
import org.junit.jupiter.api.Test;

class ChatChunkTest {
  @Test
  void aTokenChunkGivesItsContentAndIsNotDone() {
    ChatChunk c =
        ChatChunk.parse(
            """
            {"model":"gemma3:1b","created_at":"2025-06-01T10:00:00Z",\
            "message":{"role":"assistant","content":" blue\\n"},"done":false}""");

    assertThat(c.content()).isEqualTo(" blue\n");
    assertThat(c.done()).isFalse();
    assertThat(c.error()).isNull();
  }

  @Test
  void theFinalChunkGivesTheReasonAndTheCounts() {
    ChatChunk c =
        ChatChunk.parse(
            """
            {"model":"m","message":{"role":"assistant","content":""},"done":true,\
            "done_reason":"stop","total_duration":900,"load_duration":100,\
            "prompt_eval_count":26,"prompt_eval_duration":200,"eval_count":12,\
            "eval_duration":600,"context":[1,2,3]}""");

    assertThat(c).isEqualTo(new ChatChunk(null, "", true, "stop", 12, 600, 26, 100));
  }

  @Test
  void anErrorIsKeptAsOllamaWroteIt() {
    assertThat(ChatChunk.parse("{\"error\":\"model runner crashed\"}").error())
        .isEqualTo(new JsonString("model runner crashed"));
    assertThat(ChatChunk.parse("{\"error\":null}").error()).isEqualTo(JsonNull.INSTANCE);
  }

  @Test
  void valuesConvertAsTheTreeDoes() {
    ChatChunk c =
        ChatChunk.parse(
            "{\"message\":{\"content\":5},\"done\":1,\"done_reason\":null,\"eval_count\":\"7\"}");

    assertThat(c.content()).isEqualTo("5");
    assertThat(c.done()).isTrue();
    assertThat(c.doneReason()).isNull();
    assertThat(c.evalCount()).isEqualTo(7);
  }

  @Test
  void aMessageThatIsNoObjectHasNoContentAndTheLastMessageCounts() {
    assertThat(ChatChunk.parse("{\"message\":\"hi\"}").content()).isEmpty();
    assertThat(
            ChatChunk.parse(
                    "{\"message\":{\"content\":\"a\"},\"message\":{\"role\":\"assistant\"}}")
                .content())
        .isEmpty();
  }

  @Test
  void jsonThatIsNoObjectSaysNothing() {
    for (String line : new String[] {"[1,2]", "5", "null", "\"text\""}) {
      ChatChunk c = ChatChunk.parse(line);
      assertThat(c.error()).as(line).isNull();
      assertThat(c.content()).as(line).isEmpty();
      assertThat(c.done()).as(line).isFalse();
    }
  }

  @Test
  void aMalformedLineFailsEvenWhereNoFieldIsRead() {
    for (String line :
        new String[] {
          "{\"message\":{\"content\":\"a\"},\"done\":fals}",
          "{\"created_at\":\"2025\\q\",\"done\":false}",
          "{\"context\":[1,2,,3],\"done\":false}",
          "{\"done\":false}{\"done\":true}",
          "{\"message\":{\"content\":\"cut"
        }) {
      assertThatThrownBy(() -> ChatChunk.parse(line)).as(line).isInstanceOf(JsonException.class);
    }
  }
}
