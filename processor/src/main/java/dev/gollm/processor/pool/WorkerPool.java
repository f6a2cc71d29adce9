package dev.gollm.processor.pool;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WORKER_COUNT workers taking leased tasks from a local queue, highest priority first, then in
 * order of admission. The ledger bounds the queue; the pool only orders and runs.
 */
public final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** A queue entry: a lease to run, or (lease null) the signal for one worker to stop. */
  private record Job(Lease lease) {
    static final Job STOP = new Job(null);
  }

  private static final Comparator<Lease> LEASE_ORDER =
      Comparator.comparingInt((Lease l) -> -l.task().priority()).thenComparingLong(Lease::sequence);

  /** Tasks by priority, then admission; stop signals after every task. */
  private static final Comparator<Job> ORDER =
      Comparator.comparing(Job::lease, Comparator.nullsLast(LEASE_ORDER));

  private final PriorityBlockingQueue<Job> queue = new PriorityBlockingQueue<>(64, ORDER);
  private final LeaseLedger ledger;
  private final Consumer<Lease> runner;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger busy = new AtomicInteger();
  private boolean stopping;

  /**
   * @param runner runs one lease to its end and releases it from the ledger
   */
  public WorkerPool(int workerCount, LeaseLedger ledger, Consumer<Lease> runner) {
    this.ledger = ledger;
    this.runner = runner;
    for (int i = 0; i < workerCount; i++) {
      workers.add(Thread.ofVirtual().name("worker-" + i).unstarted(this::work));
    }
  }

  public void start() {
    workers.forEach(Thread::start);
  }

  /** Queues a lease for the next free worker; false once the pool is stopping. */
  public synchronized boolean submit(Lease lease) {
    if (stopping) {
      return false;
    }
    queue.add(new Job(lease));
    return true;
  }

  /** Takes a waiting lease out of the queue; false when a worker already has it. */
  public boolean withdraw(Lease lease) {
    return queue.remove(new Job(lease));
  }

  /**
   * Removes and returns every lease not yet started and lets each worker end after its current
   * task; running tasks are not disturbed.
   */
  public synchronized List<Lease> stopAndDrain() {
    stopping = true;
    List<Job> drained = new ArrayList<>();
    queue.drainTo(drained);
    workers.forEach(w -> queue.add(Job.STOP));
    return drained.stream().map(Job::lease).filter(l -> l != null).toList();
  }

  /** Waits for the workers to end after {@link #stopAndDrain}; true when all ended. */
  public boolean awaitWorkers(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread w : workers) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !w.join(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  public int busyWorkers() {
    return busy.get();
  }

  private void work() {
    while (true) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      Lease lease = job.lease();
      if (lease == null) {
        return;
      }
      if (lease.isLost()) {
        ledger.release(lease);
        continue;
      }
      ledger.started(lease);
      busy.incrementAndGet();
      try {
        runner.accept(lease);
      } catch (RuntimeException e) {
        log.error("task {} ended with an unexpected error", lease.taskId(), e);
        ledger.release(lease);
      } finally {
        busy.decrementAndGet();
      }
    }
  }
}
