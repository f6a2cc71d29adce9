package dev.gollm.devstack.httpbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.MachineInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class HttpClientsReportTest {
  private static final MachineInfo MACHINE =
      new MachineInfo("AMD EPYC", 2, 24_000, "Linux", "25", "1.00 1.00 1.00");

  @Test
  void theMedianOfAnOddCountIsTheMiddleValue() {
    assertThat(HttpClientsReport.median(new double[] {9, 1, 5})).isEqualTo(5);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(HttpClientsReport.median(new double[] {4, 1, 2, 8})).isEqualTo(3);
  }

  @Test
  void eachCellIsTheMedianOfTheClientsRounds() {
    String table = report().table();

    String[] header = table.lines().findFirst().orElseThrow().split("\\|");
    assertThat(header).contains(" JDK HttpClient ", " Helidon WebClient 4 ");
    // peak RSS: figure index i + offset; JDK rounds at offsets 0, 10, 20 → median at offset 10
    int rss = indexOf(Figures.PEAK_RSS);
    assertThat(table)
        .contains(
            "| end: peak RSS, MiB | "
                + HttpClientsReport.format(rss + 10, 1)
                + " | "
                + HttpClientsReport.format(rss + 100, 1)
                + " |");
  }

  @Test
  void aFigureNotMeasuredShowsAsADash() {
    List<String> lines = ClientRunTest.output(0);
    lines.replaceAll(l -> l.startsWith("figure idle.cpu_ms ") ? "figure idle.cpu_ms NaN" : l);
    Map<ClientKind, List<ClientRun>> runs = Map.of(ClientKind.JDK, List.of(ClientRun.parse(lines)));
    HttpClientsReport report =
        new HttpClientsReport("t", MACHINE, "0", JsonNodeFactory.instance.objectNode(), runs);

    assertThat(report.table()).contains("| idle: CPU ms | – |");
  }

  @Test
  void theJsonHoldsEveryRoundAndTheMedians() {
    JsonNode json = JsonMapper.builder().build().readTree(report().toJson());

    JsonNode jdk = json.path("clients").path("jdk");
    assertThat(jdk.path("rounds")).hasSize(3);
    assertThat(jdk.path("median").path(Figures.CLIENT_BUILD).asDouble())
        .isEqualTo(indexOf(Figures.CLIENT_BUILD) + 10);
    assertThat(jdk.path("rounds").get(0).path("details").path("idle_threads").asString())
        .isEqualTo("main=1,Service_Thread=3");
    assertThat(json.path("clients").path("helidon").path("label").asString())
        .isEqualTo("Helidon WebClient 4");
  }

  private static HttpClientsReport report() {
    Map<ClientKind, List<ClientRun>> runs = new LinkedHashMap<>();
    runs.put(
        ClientKind.JDK,
        List.of(
            ClientRun.parse(ClientRunTest.output(20)),
            ClientRun.parse(ClientRunTest.output(0)),
            ClientRun.parse(ClientRunTest.output(10))));
    runs.put(ClientKind.HELIDON, List.of(ClientRun.parse(ClientRunTest.output(100))));
    return new HttpClientsReport(
        "20261130T070000Z", MACHINE, "2.00 1.00 1.00", JsonNodeFactory.instance.objectNode(), runs);
  }

  private static int indexOf(String key) {
    for (int i = 0; i < Figures.ALL.size(); i++) {
      if (Figures.ALL.get(i).key().equals(key)) {
        return i;
      }
    }
    throw new IllegalArgumentException(key);
  }
}
