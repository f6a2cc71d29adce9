package dev.gollm.processor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProbeServerTest {
  private final AtomicReference<ProbeServer.Request> seen = new AtomicReference<>();
  private final ProbeServer server;

  ProbeServerTest() throws IOException {
    server =
        ProbeServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            request -> {
              seen.set(request);
              return new ProbeServer.Response(
                  200,
                  "text/plain",
                  "hello".getBytes(StandardCharsets.UTF_8),
                  Map.of("Cache-Control", "no-store"));
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Sends {@code raw} on a new connection and returns everything the server answered. */
  private String exchange(String raw) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void answersAGetWithItsLengthAndClosesTheConnection() throws IOException {
    String answer = exchange("GET /ready?verbose=1 HTTP/1.1\r\nHost: x\r\nAccept: a, b\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Content-Length: 5\r\n", "Connection: close\r\n", "Cache-Control: no-store\r\n")
        .endsWith("\r\n\r\nhello");
    assertThat(seen.get().method()).isEqualTo("GET");
    assertThat(seen.get().path()).as("without the query").isEqualTo("/ready");
    assertThat(seen.get().header("ACCEPT")).isEqualTo("a, b");
  }

  @Test
  void repeatedHeadersAreJoinedWithCommas() throws IOException {
    exchange("GET / HTTP/1.1\r\nAccept: a\r\nAccept: b\r\n\r\n");

    assertThat(seen.get().header("accept")).isEqualTo("a,b");
  }

  @Test
  void aHeadRequestGetsTheHeadersWithoutTheBody() throws IOException {
    String answer = exchange("HEAD /health HTTP/1.1\r\n\r\n");

    assertThat(answer).contains("Content-Length: 5\r\n").endsWith("\r\n\r\n");
  }

  @Test
  void aMalformedRequestLineIs400AndNeverReachesTheHandler() throws IOException {
    String answer = exchange("HELLO\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("request line");
    assertThat(seen.get()).isNull();
  }

  @Test
  void aRequestHeadLongerThanTheLimitIs400() throws IOException {
    String huge = "X-Filler: " + "x".repeat(ProbeServer.MAX_HEAD_BYTES) + "\r\n";

    String answer = exchange("GET / HTTP/1.1\r\n" + huge + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("longer than");
  }

  @Test
  void aClientThatSendsNothingDoesNotHoldUpOthers() throws IOException {
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      assertThat(exchange("GET /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200");
      assertThat(silent.isConnected()).isTrue();
    }
  }

  @Test
  void afterCloseNothingListens() {
    int port = server.port();
    server.close();

    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }
}
