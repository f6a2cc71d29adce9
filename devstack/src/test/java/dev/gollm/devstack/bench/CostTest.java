package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostTest {
  private static Map<String, Figure> byId(List<Figure> figures) {
    return figures.stream().collect(Collectors.toMap(Figure::id, Function.identity()));
  }

  private static Batch batch(double cpuMsPerTask, double jitMsPerTask, double gcMsPerTask) {
    return new Batch(
        10,
        1,
        1,
        0,
        0,
        0,
        cpuMsPerTask,
        new SlotTimeline(List.of()),
        1,
        0,
        0,
        0,
        jitMsPerTask,
        gcMsPerTask);
  }

  @Test
  void nothingMeasuredYetLeavesEveryValueUnknown() {
    Map<String, Figure> f = byId(Cost.figures(new CostReadings()));

    assertThat(f.values()).allSatisfy(figure -> assertThat(figure.value()).isNaN());
    assertThat(f.get("cost_cpu_s_per_1000_tasks").verdict()).isEqualTo(Figure.Verdict.MISS);
    assertThat(f.get("cost_ready_s").label()).contains("median of 0 single starts");
  }

  @Test
  void cpuPerTaskComesFromTheThroughputBatchSplitByThreadKind() {
    CostReadings readings = new CostReadings();
    readings.throughput(batch(3.5, 0.5, 0.1), 108);
    readings.fleet(batch(7.0, 0, 0), 110);

    Map<String, Figure> f = byId(Cost.figures(readings));

    assertThat(f.get("cost_cpu_s_per_1000_tasks").value()).isEqualTo(3.5);
    assertThat(f.get("cost_jit_cpu_s_per_1000_tasks").value()).isEqualTo(0.5);
    assertThat(f.get("cost_gc_cpu_s_per_1000_tasks").value()).isEqualTo(0.1);
    assertThat(f.get("cost_cpu_without_jit_s_per_1000_tasks").value()).isEqualTo(3.0);
    assertThat(f.get("cost_fleet_cpu_s_per_1000_tasks").value()).isEqualTo(7.0);
    assertThat(f.get("cost_peak_rss_mb").value()).isEqualTo(108);
    assertThat(f.get("cost_peak_rss_mb").verdict()).isEqualTo(Figure.Verdict.PASS);
    assertThat(f.get("cost_fleet_peak_rss_mb").value()).isEqualTo(110);
  }

  @Test
  void theReadyTimeIsTheMedianOfTheSingleStartsInSeconds() {
    CostReadings readings = new CostReadings();
    readings.singleStart(Duration.ofMillis(1400));
    readings.singleStart(Duration.ofMillis(900));
    readings.singleStart(Duration.ofMillis(1600));
    readings.startupSplit(1100, 300);

    Map<String, Figure> f = byId(Cost.figures(readings));

    assertThat(f.get("cost_ready_s").value()).isEqualTo(1.4);
    assertThat(f.get("cost_ready_s").label()).contains("median of 3 single starts");
    assertThat(f.get("cost_startup_to_first_log_s").value()).isEqualTo(1.1);
    assertThat(f.get("cost_startup_first_log_to_ready_s").value()).isEqualTo(0.3);
  }
}
