package dev.gollm.processor.intake;

import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerApi.ProcessorLoad;
import dev.gollm.processor.manager.ManagerException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends processor-heartbeat with measured figures: the JVM process's CPU load and its heap use
 * against the heap limit, both as fractions 0..1, and the number of tasks held.
 */
public final class LoadReporter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LoadReporter.class);

  private final ManagerApi manager;
  private final IntSupplier held;
  private final com.sun.management.OperatingSystemMXBean os;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  public LoadReporter(ManagerApi manager, IntSupplier held) {
    this.manager = manager;
    this.held = held;
    this.os =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun
            : null;
  }

  /** The figures as they are now. */
  public ProcessorLoad measure() {
    double cpu = os == null ? 0 : Math.max(0, os.getProcessCpuLoad());
    MemoryUsage heap = memory.getHeapMemoryUsage();
    long limit = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    double mem = limit > 0 ? Math.min(1, (double) heap.getUsed() / limit) : 0;
    return new ProcessorLoad(cpu, mem, held.getAsInt());
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
