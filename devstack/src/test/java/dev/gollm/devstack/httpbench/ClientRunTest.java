package dev.gollm.devstack.httpbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRunTest {
  /** A child's output with every figure, its value the figure's position, and a detail. */
  static List<String> output(double offset) {
    List<String> lines = new ArrayList<>();
    lines.add("12:00:00.000 [main] WARN some.Library -- a log line in between");
    for (int i = 0; i < Figures.ALL.size(); i++) {
      lines.add(ClientRunner.FIGURE + " " + Figures.ALL.get(i).key() + " " + (i + offset));
    }
    lines.add(ClientRunner.DETAIL + " idle_threads main=1,Service_Thread=3");
    return lines;
  }

  @Test
  void everyFigureAndDetailIsRead() {
    ClientRun run = ClientRun.parse(output(0.5));

    assertThat(run.figure(Figures.START_TO_FIRST_ANSWER)).isEqualTo(0.5);
    assertThat(run.figure(Figures.ALL.getLast().key())).isEqualTo(Figures.ALL.size() - 0.5);
    assertThat(run.details()).containsEntry("idle_threads", "main=1,Service_Thread=3");
  }

  @Test
  void aFigureNotMeasuredIsNaN() {
    List<String> lines = output(0);
    lines.replaceAll(l -> l.startsWith("figure idle.cpu_ms ") ? "figure idle.cpu_ms NaN" : l);

    assertThat(ClientRun.parse(lines).figure(Figures.IDLE_CPU)).isNaN();
  }

  @Test
  void theChildsErrorIsTheFailure() {
    List<String> lines = List.of("figure cold.client_build_ms 3.0", "error IOException: refused");

    assertThatThrownBy(() -> ClientRun.parse(lines))
        .isInstanceOf(HttpBenchException.class)
        .hasMessage("IOException: refused");
  }

  @Test
  void aMissingFigureIsNamed() {
    List<String> lines = output(0);
    lines.removeIf(l -> l.startsWith("figure end.threads "));

    assertThatThrownBy(() -> ClientRun.parse(lines))
        .hasMessage("the run reported no figure end.threads");
  }

  @Test
  void aMalformedFigureIsNamedWithItsValue() {
    List<String> lines = output(0);
    lines.replaceAll(l -> l.startsWith("figure end.threads ") ? "figure end.threads many" : l);

    assertThatThrownBy(() -> ClientRun.parse(lines))
        .hasMessage("figure end.threads is 'many', not a number");
  }
}
