package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.SvgChart.PlotArea;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartGeometryTest {
  private static final Chart.Panel PANEL =
      new Chart.Panel("t", "x", "y", 40, 1.0, List.of(), List.of());

  @Test
  void theSecondPanelOfARowStartsHalfAPageToTheRight() {
    PlotArea first = PlotArea.of(PANEL, 0, 40);
    PlotArea second = PlotArea.of(PANEL, 500, 40);

    assertThat(second.left() - first.left()).isEqualTo(500);
    assertThat(first.width()).isEqualTo(500 - 62 - 18);
    assertThat(first.height()).isEqualTo(300 - 34 - 48);
  }

  @Test
  void valuesMapFromTheBottomLeftCornerToTheTopRightOne() {
    PlotArea area = new PlotArea(10, 20, 400, 200, 40, 1.0);

    assertThat(area.x(0)).isEqualTo(10);
    assertThat(area.x(40)).isEqualTo(410);
    assertThat(area.x(10)).isEqualTo(110);
    assertThat(area.y(0)).isEqualTo(220);
    assertThat(area.y(1.0)).isEqualTo(20);
    assertThat(area.y(0.25)).isEqualTo(170);
  }

  @Test
  void gridLinesFallOnRoundStepsUpToTheEndOfTheAxis() {
    assertThat(PlotArea.ticks(40)).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0);
    assertThat(PlotArea.ticks(1.1)).containsExactly(0.0, 0.5, 1.0);
    assertThat(PlotArea.ticks(33)).containsExactly(0.0, 10.0, 20.0, 30.0);
  }

  @Test
  void pointsBeyondTheAxisOrUnknownAreLeftOutAndTallOnesAreCappedAtTheTop() {
    PlotArea area = new PlotArea(0, 0, 100, 100, 10, 1.0);
    Chart.Series s =
        new Chart.Series(
            "s",
            "#000",
            false,
            List.of(
                new Chart.XY(0, 0),
                new Chart.XY(5, 2.0),
                new Chart.XY(Double.NaN, 0.5),
                new Chart.XY(5, Double.NaN),
                new Chart.XY(11, 0.5)));

    assertThat(SvgChart.coordinates(s, area)).containsExactly("0.0,100.0", "50.0,0.0");
  }
}
