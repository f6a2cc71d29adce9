package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.Figure.Target;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class BenchReportTest {
  private static final List<Figure> FIGURES =
      List.of(
          new Figure("p50", "1 dispatch, SSE", "p50", 3.2, "ms", null, Target.atMost(5)),
          new Figure(
              "makespan", "3 throughput", "makespan", 26, "s", 25.0, Target.ratioAtMost(1.02)),
          Figure.info("rss", "5 cost", "peak RSS", Double.NaN, "MiB"));

  private static BenchReport report() {
    var scenarios = JsonNodeFactory.instance.objectNode();
    scenarios.putObject("1_dispatch_sse").put("tasks", 100);
    return new BenchReport(
        "20250102T030405Z",
        "quick",
        61.5,
        new MachineInfo("Test CPU", 2, 4096, "Linux", "21", "0.5 0.4 0.3"),
        "1.0 0.5 0.3",
        FIGURES,
        JsonNodeFactory.instance.objectNode().put("processor_jar", "p.jar"),
        scenarios,
        new Chart("t", List.of()));
  }

  @Test
  void jsonHoldsEveryFigureWithItsVerdictAndTheMachine() {
    JsonNode json = JsonMapper.builder().build().readTree(report().toJson());

    assertThat(json.get("mode").asString()).isEqualTo("quick");
    assertThat(json.get("figures")).hasSize(3);
    assertThat(json.get("figures").get(0).get("verdict").asString()).isEqualTo("pass");
    assertThat(json.get("figures").get(1).get("verdict").asString()).isEqualTo("miss");
    assertThat(json.get("figures").get(2).get("value").isNull()).isTrue();
    assertThat(json.get("machine").get("cpus").asInt()).isEqualTo(2);
    assertThat(json.get("machine").get("load_average_at_end").asString()).isEqualTo("1.0 0.5 0.3");
    assertThat(json.get("scenarios").get("1_dispatch_sse").get("tasks").asInt()).isEqualTo(100);
    assertThat(json.get("setup").get("processor_jar").asString()).isEqualTo("p.jar");
  }

  @Test
  void theTableHasOneRowPerFigureWithIdealRatioTargetAndMark() {
    String table = BenchReport.table(FIGURES);

    assertThat(table.lines().toList())
        .hasSize(2 + FIGURES.size())
        .contains("| 1 dispatch, SSE | p50 | 3.20 ms |  |  | ≤ 5 ms | ✓ pass |")
        .contains("| 3 throughput | makespan | 26 s | 25 s | 1.040 | ≤ 1.02 × ideal | ✗ miss |")
        .contains("| 5 cost | peak RSS | n/a MiB |  |  |  |  |");
  }

  @Test
  void theMarkdownNamesTheMachineAndTheOtherFiles() {
    String md = report().toMarkdown("x.json", "x.svg");

    assertThat(md).startsWith("# Benchmark 20250102T030405Z (quick)");
    assertThat(md).contains("2 × Test CPU", "`x.json`", "`x.svg`", "| Scenario | Figure |");
  }

  @Test
  void numbersKeepAboutThreeSignificantDigits() {
    assertThat(BenchReport.number(1234.5)).isEqualTo("1235");
    assertThat(BenchReport.number(12.345)).isEqualTo("12.3");
    assertThat(BenchReport.number(1.2345)).isEqualTo("1.23");
    assertThat(BenchReport.number(0.12345)).isEqualTo("0.123");
    assertThat(BenchReport.number(3)).isEqualTo("3");
  }

  @Test
  void theChartIsWellFormedSvgWithALinePerSeriesAndEscapedText() throws Exception {
    Chart chart =
        new Chart(
            "a <b> & c",
            List.of(
                new Chart.Panel(
                    "latency",
                    "ms",
                    "share",
                    30,
                    1,
                    List.of(
                        new Chart.Series(
                            "measured", "#1f77b4", false, Chart.cdf(List.of(2.0, 4.0, 40.0))),
                        new Chart.Series("ideal", "#2ca02c", true, List.of(new Chart.XY(0, 1)))),
                    List.of(new Chart.Marker(5, "p50 target"))),
                new Chart.Panel("empty", "s", "busy", 1, 1, List.of(), List.of())));

    String svg = SvgChart.render(chart);
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    assertThat(svg).contains("a &lt;b&gt; &amp; c").doesNotContain("40.0,");
  }

  @Test
  void theCdfStepsUpByOneSampleAtEachValue() {
    assertThat(Chart.cdf(List.of(3.0, 1.0)))
        .containsExactly(
            new Chart.XY(0, 0),
            new Chart.XY(1, 0),
            new Chart.XY(1, 0.5),
            new Chart.XY(3, 0.5),
            new Chart.XY(3, 1));
  }

  @Test
  void axisStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(SvgChart.niceStep(0.17)).isEqualTo(0.2);
    assertThat(SvgChart.niceStep(6)).isEqualTo(10);
    assertThat(SvgChart.niceStep(250)).isEqualTo(500);
    assertThat(SvgChart.niceStep(100)).isEqualTo(100);
  }
}
