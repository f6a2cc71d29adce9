package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.manager.ManagerApi.ProcessorLoad;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The process's figures become the manager's units: percentages 0 to 100. */
class LoadReporterTest {
  private static final long MIB = 1024 * 1024;

  private static MemoryUsage heap(long usedMib, long committedMib, long maxMib) {
    return new MemoryUsage(0, usedMib * MIB, committedMib * MIB, maxMib < 0 ? -1 : maxMib * MIB);
  }

  @Test
  void cpuLoadAndHeapUseAreSentAsPercentages() {
    ProcessorLoad load = LoadReporter.toPercentages(0.25, heap(256, 512, 1024), 3);

    assertThat(load.cpuUsage()).isEqualTo(25.0);
    assertThat(load.memoryUsage()).isEqualTo(25.0);
    assertThat(load.queueSize()).isEqualTo(3);
  }

  @Test
  void percentagesAreRoundedToOneDecimal() {
    ProcessorLoad load = LoadReporter.toPercentages(0.123456, heap(1, 3, 3), 0);

    assertThat(load.cpuUsage()).isEqualTo(12.3);
    assertThat(load.memoryUsage()).isEqualTo(33.3);
  }

  @Test
  void anUnknownCpuLoadIsSentAsZero() {
    assertThat(LoadReporter.toPercentages(-1, heap(1, 2, 4), 0).cpuUsage()).isZero();
    assertThat(LoadReporter.toPercentages(Double.NaN, heap(1, 2, 4), 0).cpuUsage()).isZero();
  }

  @Test
  void aFullMachineIsAHundredPercentNeverMore() {
    assertThat(LoadReporter.toPercentages(1.0, heap(4, 4, 4), 0))
        .extracting(ProcessorLoad::cpuUsage, ProcessorLoad::memoryUsage)
        .containsExactly(100.0, 100.0);
    assertThat(LoadReporter.toPercentages(1.7, heap(1, 2, 4), 0).cpuUsage()).isEqualTo(100.0);
  }

  @Test
  void withoutAHeapLimitTheCommittedHeapIsTheLimit() {
    assertThat(LoadReporter.toPercentages(0, heap(100, 400, -1), 0).memoryUsage()).isEqualTo(25.0);
  }

  @Test
  void anEmptyHeapReportIsZeroPercent() {
    assertThat(LoadReporter.toPercentages(0, new MemoryUsage(0, 0, 0, -1), 0).memoryUsage())
        .isZero();
  }

  @Test
  void cpuUsageIsTheCpuTimeSinceTheLastReportAgainstAllProcessors() {
    AtomicLong cpu = new AtomicLong(5_000_000_000L);
    AtomicLong wall = new AtomicLong(70_000_000_000L);
    LoadReporter reporter = new LoadReporter(null, () -> 0, cpu::get, wall::get, 2);

    cpu.addAndGet(1_000_000_000L);
    wall.addAndGet(2_000_000_000L);
    assertThat(reporter.measure().cpuUsage()).isEqualTo(25.0);

    cpu.addAndGet(2_000_000_000L);
    wall.addAndGet(1_000_000_000L);
    assertThat(reporter.measure().cpuUsage()).isEqualTo(100.0);
  }

  @Test
  void aCpuTimeTheSystemDoesNotTellIsSentAsZero() {
    AtomicLong wall = new AtomicLong();
    LoadReporter reporter = new LoadReporter(null, () -> 2, () -> -1, wall::get, 4);
    wall.addAndGet(1_000_000_000L);

    ProcessorLoad load = reporter.measure();

    assertThat(load.cpuUsage()).isZero();
    assertThat(load.memoryUsage()).isBetween(0.0, 100.0);
    assertThat(load.queueSize()).isEqualTo(2);
  }
}
