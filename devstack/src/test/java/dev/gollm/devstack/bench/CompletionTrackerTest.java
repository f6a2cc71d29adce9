package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.CompleteCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionTrackerTest {
  private static CompleteCall call(String id, int status) {
    return new CompleteCall(id, "p", "completed", null, status, 0);
  }

  @Test
  void awaitAllReturnsOnceEveryTaskHasAnAcceptedCall() throws Exception {
    CompletionTracker tracker = new CompletionTracker();
    Thread.ofVirtual()
        .start(
            () -> {
              tracker.accept(call("a", 200));
              tracker.accept(call("b", 200));
            });

    assertThat(tracker.awaitAll(List.of("a", "b"), Duration.ofMinutes(1))).isTrue();
    assertThat(tracker.completedAt("a")).isPresent();
    assertThat(tracker.lastCompletedNanos(List.of("a", "b")))
        .hasValue(tracker.completedNanos("b").orElseThrow());
  }

  @Test
  void refusedCallsDoNotCompleteATask() throws Exception {
    CompletionTracker tracker = new CompletionTracker();
    tracker.accept(call("a", 500));

    assertThat(tracker.awaitAll(List.of("a"), Duration.ofMillis(1))).isFalse();
    assertThat(tracker.missing(List.of("a"))).isEqualTo(1);
    assertThat(tracker.rejectedCalls()).isEqualTo(1);
  }

  @Test
  void aSecondAcceptedCallCountsAsADuplicate() {
    CompletionTracker tracker = new CompletionTracker();
    tracker.accept(call("a", 200));
    tracker.accept(call("b", 200));
    tracker.accept(call("a", 200));

    assertThat(tracker.duplicated(List.of("a", "b"))).isEqualTo(1);
    assertThat(tracker.missing(List.of("a", "b", "c"))).isEqualTo(1);
  }
}
