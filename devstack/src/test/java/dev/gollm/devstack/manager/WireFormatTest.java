package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Go's JSON rules on both sides of the wire: what the manager accepts and how it writes. */
class WireFormatTest {
  @Test
  void writingEscapesHtmlAndLineSeparatorsWithLowercaseHexButNotSlashes() {
    String json = WireJson.compact(WireJson.sortedObject("s", "<a href=\"/x\">&</a>\u2028\u0001"));

    assertThat(json)
        .isEqualTo(
            "{\"s\":\"\\u003ca href=\\\"/x\\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u0001\"}");
  }

  @Test
  void mapBodiesHaveSortedKeysAndWholeFloatsHaveNoFraction() {
    String json = WireJson.compact(WireJson.sortedObject("b", 1.0, "a", 0.25, "c", null));

    assertThat(json).isEqualTo("{\"a\":0.25,\"b\":1,\"c\":null}");
  }

  @Test
  void onlyTheFirstJsonValueOfABodyCounts() throws Exception {
    RequestBody body = RequestBody.parse(WireJson.utf8("{\"processor_id\":\"p\"} trailing"));

    assertThat(body.string("processor_id")).isEqualTo("p");
  }

  @Test
  void nullBodyAndNullFieldsLeaveFieldsUnset() throws Exception {
    assertThat(RequestBody.parse(WireJson.utf8("null")).string("processor_id")).isNull();
    assertThat(RequestBody.parse(WireJson.utf8("{\"batch_size\":null}")).int64("batch_size"))
        .isNull();
  }

  @Test
  void keysMatchCaseInsensitivelyAndTheLastMatchWins() throws Exception {
    RequestBody body =
        RequestBody.parse(WireJson.utf8("{\"processor_id\":\"a\",\"PROCESSOR_ID\":\"b\"}"));

    assertThat(body.string("processor_id")).isEqualTo("b");
  }

  @Test
  void integersRejectFractionsExponentsAndOverflow() {
    for (String value : new String[] {"5.0", "5e0", "99999999999999999999", "\"5\"", "true"}) {
      assertThatThrownBy(() -> RequestBody.parse(WireJson.utf8("{\"n\":" + value + "}")).int64("n"))
          .as(value)
          .isInstanceOf(InvalidJsonException.class)
          .hasMessageContaining("field n must be an integer");
    }
  }

  @Test
  void emptyAndNonObjectBodiesAreInvalid() {
    for (String body : new String[] {"", "   ", "[]", "\"x\"", "{"}) {
      assertThatThrownBy(() -> RequestBody.parse(WireJson.utf8(body)))
          .as(body)
          .isInstanceOf(InvalidJsonException.class);
    }
  }

  @Test
  void ollamaParamsKeepTheKnownKeysInTheManagersOrder() {
    String normalized =
        OllamaParams.normalize(
            "{\"stop\":[\"x\"],\"seed\":1,\"repeat_penalty\":1.1,\"top_k\":40,\"top_p\":0.9,"
                + "\"max_tokens\":10,\"temperature\":0,\"prompt\":\"p\",\"model\":\"m\",\"num_ctx\":8}");

    assertThat(normalized)
        .isEqualTo(
            "{\"model\":\"m\",\"prompt\":\"p\",\"temperature\":0,\"max_tokens\":10,\"top_p\":0.9,"
                + "\"top_k\":40,\"repeat_penalty\":1.1,\"seed\":1,\"stop\":[\"x\"]}");
  }

  @Test
  void ollamaParamsOfTheWrongTypeAreRejected() {
    assertThatThrownBy(() -> OllamaParams.normalize("{\"max_tokens\":\"many\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ollama_params: field max_tokens must be an integer, got the string \"many\"");
    assertThatThrownBy(() -> OllamaParams.normalize("[1]"))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> OllamaParams.normalize("{\"stop\":\"x\"}"))
        .hasMessageContaining("stop must be an array of strings");
  }
}
