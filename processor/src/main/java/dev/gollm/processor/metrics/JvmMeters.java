package dev.gollm.processor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JVM's own meters (memory, threads, garbage collection, uptime, CPU), bound to the registry at
 * its first scrape rather than at start: a processor nobody scrapes loads none of their management
 * classes and handles no notification per collection, and start-up does not wait for them. A scrape
 * sees them from the first on; the collection counters count from then.
 */
public final class JvmMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  private JvmGcMetrics gc;
  private boolean closed;

  public JvmMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Binds the meters unless they already are (or the processor is stopping). */
  public void bindOnce() {
    lock.lock();
    try {
      if (gc != null || closed) {
        return;
      }
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
    } finally {
      lock.unlock();
    }
  }

  /** Stops listening to the collector's notifications. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (gc != null) {
        gc.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
