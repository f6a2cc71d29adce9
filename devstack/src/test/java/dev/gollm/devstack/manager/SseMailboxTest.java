package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The per-connection SSE buffer: bounded, drops silently, closes for good. */
class SseMailboxTest {
  private static byte[] event(int i) {
    return ("e" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventsBeyondTheCapacityAreDroppedAndTheKeptOnesComeInOrder() throws Exception {
    SseMailbox mailbox = new SseMailbox(10);
    for (int i = 0; i < 12; i++) {
      mailbox.offer(event(i));
    }

    assertThat(mailbox.size()).isEqualTo(10);
    assertThat(mailbox.dropped()).isEqualTo(2);
    byte[][] slot = new byte[1][];
    for (int i = 0; i < 10; i++) {
      assertThat(mailbox.next(Long.MAX_VALUE, slot)).isEqualTo(SseMailbox.Wake.EVENT);
      assertThat(new String(slot[0], StandardCharsets.UTF_8)).isEqualTo("e" + i);
    }
  }

  @Test
  void waitingEndsAtTheDeadlineWhenNothingArrives() throws Exception {
    SseMailbox mailbox = new SseMailbox(10);

    assertThat(mailbox.next(System.nanoTime(), new byte[1][])).isEqualTo(SseMailbox.Wake.TIMEOUT);
  }

  @Test
  void closeWakesTheWaiterAndRefusesLaterEvents() throws Exception {
    SseMailbox mailbox = new SseMailbox(10);
    Thread closer = Thread.ofVirtual().start(mailbox::close);

    assertThat(mailbox.next(Long.MAX_VALUE, new byte[1][])).isEqualTo(SseMailbox.Wake.CLOSED);
    closer.join();
    assertThat(mailbox.offer(event(1))).isFalse();
  }
}
