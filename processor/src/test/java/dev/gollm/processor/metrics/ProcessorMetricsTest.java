package dev.gollm.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.metrics.ProcessorMetrics.ClaimOutcome;
import dev.gollm.processor.metrics.ProcessorMetrics.ClaimSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProcessorMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());

  private List<String> tagValues(String name, String tag) {
    return registry.find(name).meters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag(tag))
        .sorted()
        .toList();
  }

  @Test
  void everyLabelledCounterExistsWithEveryLabelBeforeItsFirstEvent() {
    assertThat(registry.find("processor.claims").counters()).hasSize(8);
    assertThat(tagValues("processor.claims", "outcome"))
        .containsOnly("empty", "error", "full", "partial");
    assertThat(tagValues("processor.tasks.admitted", "source")).containsExactly("claim", "steal");
    assertThat(tagValues("processor.lease.heartbeats", "outcome"))
        .containsExactly("error", "lost", "ok");
    assertThat(tagValues("processor.task.failures", "kind"))
        .containsExactly("invalid_task", "model_missing", "rejected", "retries_exhausted");
    assertThat(tagValues("processor.task.retries", "kind"))
        .hasSize(LlmException.Failure.values().length)
        .contains("busy", "timeout", "unreachable");
    assertThat(registry.find("processor.claims").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void aClaimIsFullWhenItBroughtAsManyAsAskedPartialWhenFewerEmptyWhenNone() {
    assertThat(ClaimOutcome.of(3, 3)).isEqualTo(ClaimOutcome.FULL);
    assertThat(ClaimOutcome.of(3, 4)).isEqualTo(ClaimOutcome.FULL);
    assertThat(ClaimOutcome.of(3, 1)).isEqualTo(ClaimOutcome.PARTIAL);
    assertThat(ClaimOutcome.of(3, 0)).isEqualTo(ClaimOutcome.EMPTY);
  }

  @Test
  void failuresByKindAddUpToTheFailedTasks() {
    metrics.taskFailed(Outcome.Kind.REJECTED, Duration.ofMillis(5));
    metrics.taskFailed(Outcome.Kind.REJECTED, Duration.ofMillis(5));
    metrics.taskFailed(Outcome.Kind.INVALID_TASK, Duration.ofMillis(5));

    assertThat(registry.counter("processor.task.failures", "kind", "rejected").count())
        .isEqualTo(2);
    assertThat(registry.counter("processor.task.failures", "kind", "invalid_task").count())
        .isEqualTo(1);
    assertThat(metrics.snapshot().tasksFailed()).isEqualTo(3);
  }

  @Test
  void claimsAndAdmittedTasksAreCountedBySource() {
    metrics.claimed(ClaimSource.STEAL, ClaimOutcome.PARTIAL);
    metrics.taskAdmitted(ClaimSource.STEAL);

    assertThat(
            registry.counter("processor.claims", "source", "steal", "outcome", "partial").count())
        .isEqualTo(1);
    assertThat(registry.counter("processor.tasks.admitted", "source", "steal").count())
        .isEqualTo(1);
    assertThat(registry.counter("processor.tasks.admitted", "source", "claim").count()).isZero();
  }

  @Test
  void aDependencyIsUpAsLongAsItsCheckSaysSo() {
    AtomicBoolean answers = new AtomicBoolean(true);
    metrics.dependencyUp("ollama", answers::get);

    assertThat(registry.get("processor.dependency.up").tag("dependency", "ollama").gauge().value())
        .isEqualTo(1);
    answers.set(false);
    assertThat(registry.get("processor.dependency.up").tag("dependency", "ollama").gauge().value())
        .isZero();
  }
}
