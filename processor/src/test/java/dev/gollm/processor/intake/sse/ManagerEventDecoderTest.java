package dev.gollm.processor.intake.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.intake.sse.ManagerStreamEvent.Connected;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.Heartbeat;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.StreamError;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.TaskAvailable;
import dev.gollm.processor.intake.sse.ManagerStreamEvent.Unknown;
import dev.gollm.processor.sse.SseEvent;
import dev.gollm.processor.sse.SseEventParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagerEventDecoderTest {
  private final ManagerEventDecoder decoder = new ManagerEventDecoder();

  @Test
  void decodesEveryEventOfTheManagerFixture() throws Exception {
    SseEventParser parser = new SseEventParser(new ByteArrayInputStream(managerStreamFixture()));
    List<ManagerStreamEvent> events = new ArrayList<>();
    for (SseEvent e = parser.next(); e != null; e = parser.next()) {
      events.add(decoder.decode(e.data()));
    }

    assertThat(events)
        .containsExactly(
            new Connected(),
            new TaskAvailable(
                "9e8bb74f-cb0b-484a-9ae5-8049001ab748",
                2,
                "Handmade ceramic mug, 350 ml, matte blue glaze, dishwasher safe",
                "{\"model\":\"gemma3:1b\",\"prompt\":\"Write a two-sentence product blurb.\","
                    + "\"temperature\":0.3,\"max_tokens\":200}"),
            new TaskAvailable(
                "0937d5d5-b54c-47c9-88b1-602c12144abf",
                0,
                "Wireless earbuds, 30 h battery, USB-C charging case",
                null),
            new Heartbeat(Duration.ofMillis(15000)),
            new TaskAvailable(
                "03095e41-635a-4824-bedc-57cb05296d68",
                1,
                "Stainless steel water bottle & carry loop, 750 ml",
                "{\"model\":\"gemma3:1b\"}"),
            new Heartbeat(Duration.ofMillis(30000)),
            new Heartbeat(Duration.ofMillis(45001)),
            new StreamError("Connection timeout exceeded", Duration.ofMillis(60000)));
  }

  @Test
  void toleratesUnknownTypesWhateverTheirData() throws Exception {
    assertThat(decoder.decode("{\"type\":\"processor_metrics\",\"data\":[1,2],\"timestamp\":1}"))
        .isEqualTo(new Unknown("processor_metrics"));
  }

  @Test
  void ignoresUnknownKeysInsideKnownTypes() throws Exception {
    assertThat(decoder.decode("{\"type\":\"heartbeat\",\"data\":{\"uptime\":5,\"extra\":true}}"))
        .isEqualTo(new Heartbeat(Duration.ofMillis(5)));
  }

  @Test
  void aTaskAnnouncementMissingFieldsItsWakeUpDoesNotUseIsStillAWakeUp() throws Exception {
    assertThat(decoder.decode("{\"type\":\"task_available\",\"data\":{}}"))
        .isEqualTo(new TaskAvailable(null, null, null, null));
    assertThat(decoder.decode("{\"type\":\"task_available\",\"data\":{\"taskId\":\"t\"}}"))
        .isEqualTo(new TaskAvailable("t", null, null, null));
  }

  @Test
  void errorEventWithoutMaxDurationStillEndsTheStream() throws Exception {
    assertThat(decoder.decode("{\"type\":\"error\",\"data\":{\"error\":\"bye\"}}"))
        .isEqualTo(new StreamError("bye", null));
  }

  @Test
  void rejectsGarbageAsInvalidJson() {
    assertThatThrownBy(() -> decoder.decode("{\"type\":\"heartb"))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("{\"type\":\"heartb");
  }

  @Test
  void rejectsJsonThatIsNotAnEnvelopeObject() {
    assertThatThrownBy(() -> decoder.decode("[1,2]"))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("expected a JSON object envelope");
  }

  @Test
  void rejectsAnEnvelopeWithoutType() {
    assertThatThrownBy(() -> decoder.decode("{\"data\":{}}"))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("field type: expected a non-empty string");
  }

  @Test
  void rejectsAKnownTypeWithoutDataObject() {
    assertThatThrownBy(() -> decoder.decode("{\"type\":\"task_available\",\"data\":\"x\"}"))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("task_available event: field data: expected an object");
  }

  @Test
  void rejectsATaskAnnouncementWithAWronglyTypedField() {
    String json =
        "{\"type\":\"task_available\",\"data\":{\"taskId\":42,\"priority\":1,\"productData\":\"p\"}}";

    assertThatThrownBy(() -> decoder.decode(json))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("field data.taskId: expected a string, got number 42");
  }

  @Test
  void rejectsOllamaParamsThatAreNotADoubleEncodedString() {
    String json =
        "{\"type\":\"task_available\",\"data\":{\"taskId\":\"t\",\"priority\":1,"
            + "\"productData\":\"p\",\"ollamaParams\":{\"model\":\"m\"}}}";

    assertThatThrownBy(() -> decoder.decode(json))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("field data.ollamaParams: expected a string or null");
  }

  @Test
  void rejectsANegativeUptime() {
    assertThatThrownBy(() -> decoder.decode("{\"type\":\"heartbeat\",\"data\":{\"uptime\":-1}}"))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("field data.uptime: expected a non-negative integer");
  }

  @Test
  void quotesOnlyTheStartOfALongBadInput() {
    String longGarbage = "x".repeat(5000);

    assertThatThrownBy(() -> decoder.decode(longGarbage))
        .isInstanceOf(ManagerEventDecodeException.class)
        .hasMessageContaining("(5000 chars)")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(1000));
  }

  private static byte[] managerStreamFixture() throws IOException {
    try (InputStream in =
        ManagerEventDecoderTest.class.getResourceAsStream("manager-task-stream.txt")) {
      assertThat(in).as("test resource manager-task-stream.txt").isNotNull();
      return in.readAllBytes();
    }
  }
}
