package dev.gollm.processor.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseEventParserTest {

  static final String FIXTURE = "/dev/gollm/processor/intake/sse/manager-task-stream.txt";

  @Test
  void dispatchesOnBlankLineWithLfLineEnds() throws IOException {
    assertThat(parse("data: hello\n\n"))
        .containsExactly(new SseEvent("message", "hello", "", null));
  }

  @Test
  void acceptsCrLineEnds() throws IOException {
    assertThat(parse("data: a\rdata: b\r\r")).containsExactly(message("a\nb"));
  }

  @Test
  void acceptsCrlfLineEnds() throws IOException {
    assertThat(parse("data: a\r\ndata: b\r\n\r\n")).containsExactly(message("a\nb"));
  }

  @Test
  void acceptsMixedLineEndsInOneStream() throws IOException {
    assertThat(parse("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r\n"))
        .containsExactly(message("a\nb\nc"), message("d"));
  }

  @Test
  void crlfSplitBetweenReadsIsOneLineEnd() throws IOException {
    // Were the LF after a read-ending CR taken as a blank line, "a" would be dispatched alone.
    String stream = "data: a\r\ndata: b\r\n\r\n";
    assertThat(parse(stream, 1)).containsExactly(message("a\nb"));
    assertThat(parse(stream, 8)).containsExactly(message("a\nb"));
  }

  @Test
  void joinsMultiLineDataWithLf() throws IOException {
    assertThat(parse("data: {\"a\":\ndata: 1}\ndata:\n\n"))
        .containsExactly(message("{\"a\":\n1}\n"));
  }

  @Test
  void readsEventIdAndRetryFields() throws IOException {
    assertThat(parse("event: task\nid: 42\nretry: 3000\ndata: x\n\n"))
        .containsExactly(new SseEvent("task", "x", "42", Duration.ofMillis(3000)));
  }

  @Test
  void eventTypeResetsAfterEachDispatchButIdAndRetryPersist() throws IOException {
    assertThat(parse("event: task\nid: 7\nretry: 10\ndata: x\n\ndata: y\n\n"))
        .containsExactly(
            new SseEvent("task", "x", "7", Duration.ofMillis(10)),
            new SseEvent("message", "y", "7", Duration.ofMillis(10)));
  }

  @Test
  void removesOnlyOneSpaceAfterTheColon() throws IOException {
    assertThat(parse("data:x\n\ndata:  y\n\n")).containsExactly(message("x"), message(" y"));
  }

  @Test
  void fieldNameWithoutColonHasAnEmptyValue() throws IOException {
    assertThat(parse("data\n\n")).containsExactly(message(""));
  }

  @Test
  void blockWithoutDataIsNotDispatchedAndForgetsItsEventType() throws IOException {
    assertThat(parse("event: lonely\nid: 3\n\ndata: y\n\n"))
        .containsExactly(new SseEvent("message", "y", "3", null));
  }

  @Test
  void ignoresCommentsButReportsTheirBytesAsLiveness() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    SseEventParser parser =
        new SseEventParser(
            new ChunkedInputStream(": keepalive\n:\n".getBytes(UTF_8), 4),
            SseEventParser.DEFAULT_MAX_LINE_BYTES,
            reads::incrementAndGet);

    assertThat(parser.next()).isNull();
    assertThat(reads).hasValue(4);
  }

  @Test
  void commentsBetweenDataLinesDoNotSplitTheEvent() throws IOException {
    assertThat(parse("data: a\n: ping\ndata: b\n\n")).containsExactly(message("a\nb"));
  }

  @Test
  void ignoresUnknownFieldsAndInvalidRetryAndIdWithNul() throws IOException {
    assertThat(parse("foo: bar\nretry: 1s\nid: a\0b\ndata: y\n\n"))
        .containsExactly(new SseEvent("message", "y", "", null));
  }

  @Test
  void ignoresOneLeadingByteOrderMarkEvenWhenSplit() throws IOException {
    String stream = "\uFEFFdata: a\n\n";
    assertThat(parse(stream)).containsExactly(message("a"));
    assertThat(parse(stream, 1)).containsExactly(message("a"));
  }

  @Test
  void byteOrderMarkAfterTheStartIsPartOfTheFieldName() throws IOException {
    assertThat(parse("data: a\n\n\uFEFFdata: b\n\n")).containsExactly(message("a"));
  }

  @Test
  void discardsAnIncompleteEventAtEndOfStream() throws IOException {
    assertThat(parse("data: a\n\ndata: b\n")).containsExactly(message("a"));
  }

  @Test
  void decodesMultiByteCharactersSplitAcrossReads() throws IOException {
    assertThat(parse("data: héllo ✓ 日本\n\n", 1)).containsExactly(message("héllo ✓ 日本"));
  }

  @Test
  void splitsAtAnyByteGiveTheSameEvents() throws IOException {
    String stream =
        "\uFEFF: hi\r\nevent: a\r\nid: 1\rdata: x\ndata: y\r\n\r\n"
            + "retry: 5\ndata: {\"k\":\"v\"}\r\rdata: z\n\n";
    List<SseEvent> whole = parse(stream);
    assertThat(whole)
        .containsExactly(
            new SseEvent("a", "x\ny", "1", null),
            new SseEvent("message", "{\"k\":\"v\"}", "1", Duration.ofMillis(5)),
            new SseEvent("message", "z", "1", Duration.ofMillis(5)));
    for (int chunk = 1; chunk <= stream.length(); chunk++) {
      assertThat(parse(stream, chunk)).as("read size %d", chunk).isEqualTo(whole);
    }
  }

  @Test
  void parsesTheManagerFixtureWholeAndByteByByte() throws IOException {
    byte[] fixture = fixture();
    List<SseEvent> whole = parse(fixture, fixture.length);

    assertThat(whole).hasSize(8);
    assertThat(whole).allSatisfy(e -> assertThat(e.event()).isEqualTo("message"));
    assertThat(whole).allSatisfy(e -> assertThat(e.data()).startsWith("{\"type\":"));
    assertThat(whole.get(7).data()).contains("Connection timeout exceeded");
    assertThat(parse(fixture, 1)).isEqualTo(whole);
  }

  @Test
  void parsesTheManagerFixtureWithCrlfLineEnds() throws IOException {
    byte[] fixture = fixture();
    byte[] crlf = new String(fixture, UTF_8).replace("\n", "\r\n").getBytes(UTF_8);

    assertThat(parse(crlf, 1)).isEqualTo(parse(fixture, fixture.length));
  }

  @Test
  void acceptsALineExactlyAtTheBound() throws IOException {
    String value = "x".repeat(10);
    SseEventParser parser = parser("data: " + value + "\n\n", 16, 3);

    assertThat(parser.next()).isEqualTo(message(value));
  }

  @Test
  void rejectsALineOverTheBoundWithinOneRead() {
    SseEventParser parser = parser("data: " + "x".repeat(11) + "\n\n", 16, 8192);

    assertThatThrownBy(parser::next)
        .isInstanceOfSatisfying(
            SseLineTooLongException.class, e -> assertThat(e.maxLineBytes()).isEqualTo(16))
        .hasMessageContaining("longer than 16 bytes");
  }

  @Test
  void rejectsAGiantLineAsSoonAsItCrossesTheBound() {
    int bound = 64 * 1024;
    EndlessLine endless = new EndlessLine(64L * 1024 * 1024);
    SseEventParser parser = new SseEventParser(endless, bound, () -> {});

    assertThatThrownBy(parser::next).isInstanceOf(SseLineTooLongException.class);
    // It stopped reading within one read buffer past the bound: nothing like 64 MiB was held.
    assertThat(endless.served).isLessThanOrEqualTo(bound + 8192L);
  }

  @Test
  void acceptsAnEventWhoseDataLinesTogetherFitTheBound() throws IOException {
    SseEventParser parser = parser("data: 12345\ndata: 1234567890\n\n", 17, 4);

    assertThat(parser.next()).isEqualTo(message("12345\n1234567890"));
  }

  @Test
  void rejectsAnEventWhoseShortDataLinesTogetherCrossTheBound() {
    SseEventParser parser = parser("data: 12345\ndata: 1234567890\ndata: x\n\n", 17, 4);

    assertThatThrownBy(parser::next)
        .isInstanceOfSatisfying(
            SseEventTooLargeException.class, e -> assertThat(e.maxEventBytes()).isEqualTo(17))
        .hasMessageContaining("event data longer than 17 bytes");
  }

  @Test
  void parserDoesNotCloseTheStreamAndReturnsNullAgainAfterEnd() throws IOException {
    SseEventParser parser = parser("data: a\n\n", 1024, 3);

    assertThat(parser.next()).isEqualTo(message("a"));
    assertThat(parser.next()).isNull();
    assertThat(parser.next()).isNull();
  }

  private static SseEvent message(String data) {
    return new SseEvent("message", data, "", null);
  }

  private static List<SseEvent> parse(String stream) throws IOException {
    return parse(stream, Integer.MAX_VALUE);
  }

  private static List<SseEvent> parse(String stream, int chunk) throws IOException {
    return parse(stream.getBytes(UTF_8), chunk);
  }

  private static List<SseEvent> parse(byte[] stream, int chunk) throws IOException {
    SseEventParser parser =
        new SseEventParser(
            new ChunkedInputStream(stream, chunk), SseEventParser.DEFAULT_MAX_LINE_BYTES, () -> {});
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e = parser.next(); e != null; e = parser.next()) {
      events.add(e);
    }
    return events;
  }

  private static SseEventParser parser(String stream, int maxLineBytes, int chunk) {
    return new SseEventParser(
        new ChunkedInputStream(stream.getBytes(UTF_8), chunk), maxLineBytes, () -> {});
  }

  static byte[] fixture() {
    try (InputStream in = SseEventParserTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as("test resource " + FIXTURE).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "data: xxxx..." without a line end, generated on demand, counting what was read. */
  private static final class EndlessLine extends InputStream {
    private final long limit;
    long served;

    EndlessLine(long limit) {
      this.limit = limit;
    }

    @Override
    public int read() {
      if (served >= limit) {
        return -1;
      }
      served++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= limit) {
        return -1;
      }
      int n = (int) Math.min(len, limit - served);
      java.util.Arrays.fill(b, off, off + n, (byte) 'x');
      served += n;
      return n;
    }
  }
}
