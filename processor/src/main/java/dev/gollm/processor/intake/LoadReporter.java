package dev.gollm.processor.intake;

import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.ProcessorLoad;
import dev.gollm.processor.manager.ManagerException;
import java.lang.management.MemoryUsage;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends processor-heartbeat with measured figures in the manager's units, percentages 0 to 100 (the
 * manager ranks processors by {@code (cpu×0.3 + mem×0.3 + active×0.4) / 100}, and the original
 * processor sends percentages):
 *
 * <ul>
 *   <li>{@code cpu_usage}: this process's CPU time since the last heartbeat (since the start for
 *       the first) against all the CPUs available to it (the container's CPU limit when there is
 *       one, rounded up), ×100;
 *   <li>{@code memory_usage}: Java heap in use against the heap's limit ({@code -Xmx}, or the share
 *       of the container's memory the JVM sized it to), ×100 — the memory this process can run out
 *       of. Resident memory is not used: a JVM's is mostly the heap it reserved, so it reflects the
 *       configuration more than the load. The figure includes garbage not yet collected, so it
 *       rises and falls between collections;
 *   <li>{@code queue_size}: tasks held, running or waiting.
 * </ul>
 *
 * Both percentages are rounded to one decimal; a figure the JVM cannot give is sent as 0.
 */
public final class LoadReporter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LoadReporter.class);

  private final ManagerApi manager;
  private final IntSupplier held;
  private final LongSupplier cpuNanos;
  private final LongSupplier wallNanos;
  private final int processors;
  private long lastCpuNanos; // guarded by this
  private long lastWallNanos; // guarded by this

  public LoadReporter(ManagerApi manager, IntSupplier held) {
    this(
        manager,
        held,
        ProcessCpuTime::nanos,
        System::nanoTime,
        Runtime.getRuntime().availableProcessors());
  }

  /** With the process's CPU time and a monotonic clock from the caller, in nanoseconds. */
  LoadReporter(
      ManagerApi manager,
      IntSupplier held,
      LongSupplier cpuNanos,
      LongSupplier wallNanos,
      int processors) {
    this.manager = manager;
    this.held = held;
    this.cpuNanos = cpuNanos;
    this.wallNanos = wallNanos;
    this.processors = processors;
    this.lastCpuNanos = cpuNanos.getAsLong();
    this.lastWallNanos = wallNanos.getAsLong();
  }

  /** The figures as they are now; the CPU load since the last call. */
  public synchronized ProcessorLoad measure() {
    long cpu = cpuNanos.getAsLong();
    long wall = wallNanos.getAsLong();
    double cpuLoad =
        cpu < 0 || lastCpuNanos < 0 || wall <= lastWallNanos
            ? -1
            : (double) (cpu - lastCpuNanos) / ((double) (wall - lastWallNanos) * processors);
    lastCpuNanos = cpu;
    lastWallNanos = wall;
    Runtime runtime = Runtime.getRuntime();
    long committed = runtime.totalMemory();
    long max = runtime.maxMemory();
    MemoryUsage heap =
        new MemoryUsage(
            -1,
            committed - runtime.freeMemory(),
            committed,
            max == Long.MAX_VALUE ? -1 : Math.max(max, committed));
    return toPercentages(cpuLoad, heap, held.getAsInt());
  }

  /**
   * Converts the JVM's figures to the manager's units.
   *
   * @param processCpuLoad the process's CPU load as the JVM reports it, 0..1, negative when unknown
   * @param heap the heap's usage; its limit is {@code max}, or {@code committed} when max is
   *     undefined
   * @param held tasks held
   */
  static ProcessorLoad toPercentages(double processCpuLoad, MemoryUsage heap, int held) {
    double cpu = processCpuLoad >= 0 ? Math.min(1, processCpuLoad) : 0; // negative or NaN: unknown
    long limit = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    double mem = limit > 0 ? Math.min(1, (double) heap.getUsed() / limit) : 0;
    return new ProcessorLoad(percent(cpu), percent(mem), held);
  }

  private static double percent(double fraction) {
    return Math.round(fraction * 1000) / 10.0;
  }

  @Override
  public void run() {
    try {
      manager.processorHeartbeat(measure());
    } catch (ManagerException e) {
      log.debug("processor heartbeat failed: {}", e.getMessage());
    }
  }
}
