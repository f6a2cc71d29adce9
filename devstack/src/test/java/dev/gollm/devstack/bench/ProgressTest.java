package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void eachStepIsNamedAfterItsScenarioInTheTableAndCountsTheSteps() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    progress.expect(6);

    progress.begin(SseDispatch.NAME, "one at a time");
    progress.end("p50 2.0 ms");
    progress.begin(Throughput.NAME, "a backlog");
    progress.end("makespan 5.1 s");

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
        .satisfiesExactly(
            first ->
                assertThat(first)
                    .matches(
                        "\\[1 dispatch, SSE\\] one at a time \\.\\.\\. p50 2\\.0 ms \\(\\d+\\.\\d s; step 1 of 6\\)"),
            second ->
                assertThat(second)
                    .matches(
                        "\\[3 throughput\\] a backlog \\.\\.\\. makespan 5\\.1 s \\(\\d+\\.\\d s; step 2 of 6\\)"));
  }
}
