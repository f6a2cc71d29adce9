package dev.gollm.devstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  private static final String LISTENING =
      "{\"level\":\"INFO\",\"message\":\"health server listening on 127.0.0.1:43117\"}";

  @Test
  void keepsTheLastLinesAndCountsTheOnesItDropped() {
    OutputTail tail = new OutputTail(3);
    for (int i = 1; i <= 5; i++) {
      tail.add("line " + i);
    }

    assertThat(tail.lines()).containsExactly("line 3", "line 4", "line 5");
    assertThat(tail.dropped()).isEqualTo(2);
    assertThat(tail.last(2)).containsExactly("line 4", "line 5");
    assertThat(tail.last(10)).hasSize(3);
  }

  @Test
  void theFirstLineAnnouncingTheHealthServerGivesItsPort() throws Exception {
    OutputTail tail = new OutputTail(10);
    tail.add("starting");
    assertThat(tail.healthPort()).isEmpty();

    tail.add(LISTENING);
    tail.add(LISTENING.replace("43117", "1"));

    assertThat(tail.healthPort()).hasValue(43117);
    assertThat(tail.awaitHealthPort("p", Duration.ZERO)).isEqualTo(43117);
  }

  @Test
  void aWaitForThePortEndsWhenTheLineArrives() throws Exception {
    OutputTail tail = new OutputTail(10);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    port.complete(tail.awaitHealthPort("p", Duration.ofMinutes(1)));
                  } catch (InterruptedException | RuntimeException e) {
                    port.completeExceptionally(e);
                  }
                });

    tail.add(LISTENING);

    assertThat(port.get(30, TimeUnit.SECONDS)).isEqualTo(43117);
    waiter.join();
  }

  @Test
  void outputEndingWithoutAPortFailsTheWaitAtOnceQuotingTheLastLines() {
    OutputTail tail = new OutputTail(10);
    tail.add("error: WORKER_URL is not a URL");
    tail.end();

    assertThatThrownBy(() -> tail.awaitHealthPort("processor p-1", Duration.ofMinutes(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("processor p-1 ended before announcing its health port")
        .hasMessageContaining("error: WORKER_URL is not a URL");
  }

  @Test
  void noPortWithinTheLimitFailsTheWait() {
    OutputTail tail = new OutputTail(10);

    assertThatThrownBy(() -> tail.awaitHealthPort("processor p-1", Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not announce its health port within PT0S");
  }
}
