package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** How a response head is read and its body framed, on bytes as a server would send them. */
class ResponseFramingTest {
  /** The text as a connection's input, read 7 bytes at a time so that lines span reads. */
  private static ConnectionInput wire(String text) {
    return new ConnectionInput(new ByteArrayInputStream(text.getBytes(ISO_8859_1)), 7);
  }

  private record Read(ResponseHead head, ResponseBody body, InputStream rest) {}

  private static Read read(String text) throws IOException {
    ConnectionInput in = wire(text);
    ResponseHead head = ResponseHead.read(in);
    return new Read(head, ResponseBody.of(head, "POST", in), in);
  }

  @Test
  void aHeadGivesTheStatusAndTheFirstValueOfEachHeaderByLowerCaseName() throws IOException {
    ResponseHead head =
        ResponseHead.read(
            wire(
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nX-A: one\r\nx-a: two\r\n"
                    + "Content-Length: 0\r\n\r\n"));

    assertThat(head.status()).isEqualTo(503);
    assertThat(head.headers()).containsEntry("retry-after", "2").containsEntry("x-a", "one");
    assertThat(head.keepAlive()).isTrue();
  }

  @Test
  void aBodyWithAContentLengthEndsThereAndLeavesTheConnectionReusable() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloNEXT");

    assertThat(new String(r.body().readAllBytes(), UTF_8)).isEqualTo("hello");
    assertThat(r.body().leftConnectionReusable()).isTrue();
    assertThat(new String(r.rest().readAllBytes(), UTF_8)).isEqualTo("NEXT");
  }

  @Test
  void aChunkedBodyIsJoinedAcrossChunksExtensionsAndTrailers() throws IOException {
    Read r =
        read(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3;name=value\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");

    assertThat(new String(r.body().readAllBytes(), UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(r.body().leftConnectionReusable()).isTrue();
    assertThat(new String(r.rest().readAllBytes(), UTF_8)).isEqualTo("NEXT");
  }

  @Test
  void aChunkedBodyReadByteByByteGivesTheSameBytes() throws IOException {
    Read r =
        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n");

    StringBuilder text = new StringBuilder();
    for (int b = r.body().read(); b >= 0; b = r.body().read()) {
      text.append((char) b);
    }

    assertThat(text).hasToString("abc");
    assertThat(r.body().leftConnectionReusable()).as("read to its end").isTrue();
  }

  @Test
  void aBodyWithoutLengthRunsToTheConnectionsEndWhichCannotServeAgain() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\n\r\nall of it");

    assertThat(new String(r.body().readAllBytes(), UTF_8)).isEqualTo("all of it");
    assertThat(r.body().read()).as("the end stays the end").isEqualTo(-1);
    assertThat(r.body().leftConnectionReusable()).isFalse();
  }

  @Test
  void aBodyNotReadToItsEndLeavesTheConnectionUnusable() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

    r.body().readNBytes(4);

    assertThat(r.body().leftConnectionReusable()).isFalse();
  }

  @Test
  void aConnectionClosedInsideALengthBodyIsAnErrorNotAnEnd() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");

    assertThatThrownBy(() -> r.body().readAllBytes())
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("5 bytes before the end");
  }

  @Test
  void aConnectionClosedInsideAChunkedBodyIsAnErrorNotAnEnd() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");

    assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(EOFException.class);
  }

  @Test
  void aChunkSizeThatIsNotHexIsRefusedWithIt() throws IOException {
    Read r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n");

    assertThatThrownBy(() -> r.body().readAllBytes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a chunk size: \"zz\"");
  }

  @Test
  void noContentAndAnswersToHeadHaveNoBody() throws IOException {
    ConnectionInput in = wire("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n");
    ResponseBody body = ResponseBody.of(ResponseHead.read(in), "POST", in);

    assertThat(body.read()).isEqualTo(-1);
    assertThat(body.leftConnectionReusable()).isTrue();
  }

  @Test
  void connectionCloseAndHttp10EndTheConnectionAfterTheAnswer() throws IOException {
    assertThat(ResponseHead.read(wire("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")).keepAlive())
        .isFalse();
    assertThat(ResponseHead.read(wire("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).keepAlive())
        .isFalse();
  }

  @Test
  void aStatusLineWithoutReasonIsAccepted() throws IOException {
    assertThat(ResponseHead.read(wire("HTTP/1.1 404\r\n\r\n")).status()).isEqualTo(404);
  }

  @Test
  void somethingThatIsNotHttpIsRefusedNamingWhatCame() {
    assertThatThrownBy(() -> ResponseHead.read(wire("SSH-2.0-OpenSSH_9.6\r\n\r\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP/1.x status line: SSH-2.0");
  }

  @Test
  void conflictingContentLengthsAreRefused() {
    assertThatThrownBy(
            () ->
                ResponseHead.read(
                    wire("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Content-Length");
  }

  @Test
  void aHeadThatNeverEndsIsCutAtItsBound() {
    String endless = "HTTP/1.1 200 OK\r\n" + "X-Pad: " + "x".repeat(70_000) + "\r\n\r\n";

    assertThatThrownBy(() -> ResponseHead.read(wire(endless)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("response head longer than");
  }

  @Test
  void aConnectionClosedBeforeAnyAnswerIsAnEndOfStream() {
    assertThatThrownBy(() -> ResponseHead.read(wire("")))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("before the response");
  }
}
