package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.task.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A claimer that never started (SSE and polling both off: tasks come only by work stealing) still
 * closes cleanly, so the rest of the shutdown runs.
 */
class ClaimerLifecycleTest {
  @Test
  void aClaimerThatNeverStartedClosesWithoutError() {
    ManagerApi unused =
        (ManagerApi)
            java.lang.reflect.Proxy.newProxyInstance(
                ManagerApi.class.getClassLoader(),
                new Class<?>[] {ManagerApi.class},
                (proxy, method, args) -> {
                  throw new AssertionError("no manager call expected: " + method.getName());
                });
    SplittableRandom random = new SplittableRandom(1);
    Claimer claimer =
        new Claimer(
            unused,
            new LeaseLedger(4, 4),
            lease -> {},
            5,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
            random);

    assertThatCode(claimer::close).doesNotThrowAnyException();
  }
}
