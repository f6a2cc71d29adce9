package dev.gollm.devstack.manager;

/** Processor metrics sent with a heartbeat; a null field keeps the stored value. */
public record MetricsUpdate(Double cpuUsage, Double memoryUsage, Long queueSize) {
  /** Whether the request carried no metric at all. */
  public boolean isEmpty() {
    return cpuUsage == null && memoryUsage == null && queueSize == null;
  }
}
