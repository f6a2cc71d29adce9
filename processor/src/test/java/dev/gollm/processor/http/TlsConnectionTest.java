package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.http.Connection.Target;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The https path: the handshake, reuse and the staleness check, which reads through TLS. */
@Timeout(30) // a hang guard only
class TlsConnectionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private final TestTls tls = TestTls.load();
  private final RawServer server = RawServer.tls(request -> OK, tls.serverSockets());
  private final Target target = Target.of(server.uri("/"));

  /** Checks every idle connection before reuse, however short its idle time. */
  private final ConnectionPool pool =
      new ConnectionPool(4, PATIENCE, tls.clientSockets(), Duration.ZERO);

  TlsConnectionTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    pool.close();
    server.close();
  }

  private static HttpTransport transport(ConnectionPool pool) {
    return new HttpTransport(pool, "processor-test", () -> {});
  }

  private String exchange(HttpTransport transport) throws HttpFailure {
    HttpAnswer answer = transport.exchange(HttpCall.get(server.uri("/x"), PATIENCE), 1 << 10);
    return answer.status() + " " + new String(answer.body(), UTF_8);
  }

  @Test
  void anExchangeOverTlsReadsTheAnswer() throws HttpFailure {
    assertThat(exchange(transport(pool))).isEqualTo("200 ok");
  }

  @Test
  void anIdleTlsConnectionFoundOpenServesTheNextCalls() throws HttpFailure {
    HttpTransport transport = transport(pool);

    for (int i = 0; i < 3; i++) {
      assertThat(exchange(transport)).isEqualTo("200 ok");
    }

    assertThat(server.connections()).hasSize(1);
  }

  @Test
  void anIdleTlsConnectionTheServerClosedIsStaleAndReplaced() throws IOException {
    HttpTransport transport = transport(pool);
    exchange(transport);
    Connection first = pool.lease(target);
    pool.release(first, true);
    server.connections().getFirst().close();
    await().until(first::isStale);

    assertThat(exchange(transport)).isEqualTo("200 ok");
    assertThat(first.isClosed()).isTrue();
    assertThat(server.connections()).hasSize(2);
  }

  @Test
  void anIdleTlsConnectionTheServerSentUnaskedBytesOnIsStale() throws IOException {
    exchange(transport(pool));
    Connection c = pool.lease(target);

    server.connections().getFirst().getOutputStream().write('x');
    server.connections().getFirst().getOutputStream().flush();

    await().until(c::isStale);
  }

  @Test
  void aServerWhoseCertificateIsNotTrustedIsRefusedInTheHandshake() {
    ConnectionPool trustingTheJdkDefaults =
        new ConnectionPool(
            1, PATIENCE, (SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ZERO);
    try (HttpTransport transport = transport(trustingTheJdkDefaults)) {
      assertThatThrownBy(() -> exchange(transport))
          .isInstanceOf(HttpFailure.Broken.class)
          .hasMessageContaining(server.uri("/x").toString())
          .hasMessageContaining("certification path")
          .cause()
          .isInstanceOf(SSLHandshakeException.class);
    }
  }
}
