package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.http.Connection.Target;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a hang guard only
class ConnectionPoolTest {
  private static final Duration CONNECT = Duration.ofSeconds(5);
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private final RawServer server = new RawServer(request -> OK);
  private final Target target = Target.of(server.uri("/"));
  private ConnectionPool pool = new ConnectionPool(4, CONNECT, null, Duration.ZERO);

  ConnectionPoolTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    pool.close();
    server.close();
  }

  @Test
  void anIdleConnectionIsReusedForTheSameTarget() throws IOException {
    Connection first = pool.lease(target);
    pool.release(first, true);

    assertThat(pool.lease(target)).isSameAs(first);
  }

  @Test
  void anIdleConnectionTheServerClosedIsDroppedAndANewOneOpened() throws IOException {
    Connection first = pool.lease(target);
    pool.release(first, true);
    await().until(() -> !server.connections().isEmpty());
    server.connections().getFirst().close();
    await().until(first::isStale);

    Connection second = pool.lease(target);

    assertThat(second).isNotSameAs(first);
    assertThat(first.isClosed()).isTrue();
    await().untilAsserted(() -> assertThat(server.connections()).hasSize(2));
  }

  @Test
  void anOpenIdleConnectionIsNotStale() throws IOException {
    Connection c = pool.lease(target);

    assertThat(c.isStale()).isFalse();
  }

  @Test
  void anIdleConnectionFoundOpenServesTheNextCall() throws IOException {
    Connection c = pool.lease(target);
    pool.release(c, true);

    Connection again = pool.lease(target); // checked first: the pool validates after any idle time
    again.write(HttpCall.get(server.uri("/x"), CONNECT), "test");
    ResponseHead head = again.readHead();

    assertThat(again).isSameAs(c);
    assertThat(new String(again.body(head, "GET").readAllBytes(), UTF_8)).isEqualTo("ok");
  }

  @Test
  void anIdleConnectionTheServerSentUnaskedBytesOnIsStale() throws IOException {
    Connection c = pool.lease(target);
    await().until(() -> !server.connections().isEmpty());

    server.connections().getFirst().getOutputStream().write('x');

    await().until(c::isStale);
  }

  @Test
  void aConnectionNotReusableIsClosedOnRelease() throws IOException {
    Connection c = pool.lease(target);

    pool.release(c, false);

    assertThat(c.isClosed()).isTrue();
    assertThat(pool.lease(target)).isNotSameAs(c);
  }

  @Test
  void noMoreThanTheMostConnectionsAreOpenAndTheWaitForOneEnds() throws IOException {
    pool = new ConnectionPool(1, Duration.ofMillis(200), null, Duration.ZERO);
    Connection busy = pool.lease(target);

    assertThatThrownBy(() -> pool.lease(target))
        .isInstanceOf(HttpFailure.TimedOut.class)
        .hasMessageContaining("all 1 connections stayed in use");

    pool.release(busy, false);
    assertThat(pool.lease(target).isClosed()).isFalse();
  }

  @Test
  void anIdleConnectionToAnotherTargetMakesRoom() throws IOException {
    pool = new ConnectionPool(1, CONNECT, null, Duration.ZERO);
    try (RawServer other = new RawServer(request -> OK)) {
      Connection toOther = pool.lease(Target.of(other.uri("/")));
      pool.release(toOther, true);

      Connection c = pool.lease(target);

      assertThat(c.isClosed()).isFalse();
      assertThat(toOther.isClosed()).isTrue();
    }
  }

  @Test
  void closingThePoolEndsConnectionsInUseAndRefusesNewLeases() throws IOException {
    Connection c = pool.lease(target);

    pool.close();

    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(() -> pool.lease(target)).isInstanceOf(HttpFailure.Aborted.class);
  }

  @Test
  void interimAnswersAreSkippedForTheFinalOne() throws IOException {
    try (RawServer continuing = new RawServer(request -> "HTTP/1.1 100 Continue\r\n\r\n" + OK)) {
      Connection c = pool.lease(Target.of(continuing.uri("/")));
      c.write(HttpCall.get(continuing.uri("/x"), CONNECT), "test");

      ResponseHead head = c.readHead();

      assertThat(head.status()).isEqualTo(200);
      assertThat(new String(c.body(head, "GET").readAllBytes(), UTF_8)).isEqualTo("ok");
    }
  }

  @Test
  void aHeaderValueWithALineBreakIsRefusedBeforeAnythingIsSent() throws IOException {
    Connection c = pool.lease(target);
    HttpCall call = HttpCall.get(server.uri("/"), CONNECT).withHeader("X-Key", "a\r\nX-Evil: 1");

    assertThatThrownBy(() -> c.write(call, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Key");
  }
}
