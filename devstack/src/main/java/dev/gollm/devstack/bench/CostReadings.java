package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.millis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cost scenario (5) reads from the others: the start-up of every single processor, the
 * split of one start, and the CPU and memory of the throughput processor (3) and the fleet (4).
 * Filled while the scenarios run, one after another; NaN until measured.
 */
final class CostReadings {
  private final List<Double> singleStartReadyMs = new ArrayList<>();
  private double spawnToFirstLogMs = Double.NaN;
  private double firstLogToReadyMs = Double.NaN;
  private Batch throughput;
  private double throughputPeakRssMb = Double.NaN;
  private double fleetCpuMsPerTask = Double.NaN;
  private double fleetPeakRssMb = Double.NaN;

  /** A processor started alone took this long from spawn to its first 200 on /ready. */
  void singleStart(Duration readyAfter) {
    singleStartReadyMs.add(millis(readyAfter));
  }

  /** One start split at the processor's first log event. */
  void startupSplit(double spawnToFirstLogMs, double firstLogToReadyMs) {
    this.spawnToFirstLogMs = spawnToFirstLogMs;
    this.firstLogToReadyMs = firstLogToReadyMs;
  }

  /** The throughput batch of scenario 3 and its processor's peak RSS. */
  void throughput(Batch batch, double peakRssMb) {
    this.throughput = batch;
    this.throughputPeakRssMb = peakRssMb;
  }

  /** The fleet batch of scenario 4 and the largest peak RSS among its processors. */
  void fleet(Batch batch, double peakRssMb) {
    this.fleetCpuMsPerTask = batch.cpuMsPerTask();
    this.fleetPeakRssMb = peakRssMb;
  }

  List<Double> singleStartReadyMs() {
    return List.copyOf(singleStartReadyMs);
  }

  double spawnToFirstLogMs() {
    return spawnToFirstLogMs;
  }

  double firstLogToReadyMs() {
    return firstLogToReadyMs;
  }

  double throughputCpuMsPerTask() {
    return throughput == null ? Double.NaN : throughput.cpuMsPerTask();
  }

  double throughputJitMsPerTask() {
    return throughput == null ? Double.NaN : throughput.jitMsPerTask();
  }

  double throughputGcMsPerTask() {
    return throughput == null ? Double.NaN : throughput.gcMsPerTask();
  }

  double throughputPeakRssMb() {
    return throughputPeakRssMb;
  }

  double fleetCpuMsPerTask() {
    return fleetCpuMsPerTask;
  }

  double fleetPeakRssMb() {
    return fleetPeakRssMb;
  }
}
