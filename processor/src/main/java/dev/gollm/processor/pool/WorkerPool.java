package dev.gollm.processor.pool;

import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.lease.Transition;
import dev.gollm.processor.schedule.RoleThreads;
import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WORKER_COUNT workers taking leased tasks from a local queue, highest priority first, then in
 * order of admission. Each worker starts its lease in the ledger, runs it, finishes it with the
 * outcome and passes a lease with something to report on. The ledger bounds the queue.
 *
 * <p>When another task waits, a worker holds its finished lease's report back until the next task's
 * request is out ({@link #requestSent()}), the next run ends, or {@link #REPORT_HOLD_LIMIT} passes,
 * whichever comes first: a report started at once would compete for the cores with the worker's
 * dispatch of the next task, which is what keeps the LLM server busy. With no task waiting, the
 * report goes at once.
 */
public final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** The longest a finished lease's report waits for the worker's next dispatch. */
  static final Duration REPORT_HOLD_LIMIT = Duration.ofMillis(20);

  /** A queue entry: a lease to run, or (lease null) the signal for one worker to stop. */
  private record Job(Lease lease) {
    static final Job STOP = new Job(null);
  }

  /**
   * Tasks by priority, then admission; stop signals after every task. Written out: the JDK's
   * comparator combinators are lambdas generated at every start, past what the AOT cache holds.
   */
  private static final class Order implements Comparator<Job> {
    @Override
    public int compare(Job a, Job b) {
      if (a.lease() == null || b.lease() == null) {
        return Boolean.compare(a.lease() == null, b.lease() == null);
      }
      int byPriority = Integer.compare(b.lease().task().priority(), a.lease().task().priority());
      return byPriority != 0
          ? byPriority
          : Long.compare(a.lease().sequence(), b.lease().sequence());
    }
  }

  private final PriorityBlockingQueue<Job> queue = new PriorityBlockingQueue<>(64, new Order());
  private final LeaseLedger ledger;
  private final Function<Lease, Outcome> runner;
  private final Consumer<Lease> reporting;
  private final Scheduler scheduler;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger busy = new AtomicInteger();
  private final ThreadLocal<HeldReport> held = new ThreadLocal<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workerEnded = lock.newCondition();
  private int workersLeft;
  private boolean stopping;

  /**
   * @param runner does a lease's work and says how it ended
   * @param reporting receives each lease whose outcome is to be reported
   */
  public WorkerPool(
      int workerCount,
      LeaseLedger ledger,
      Function<Lease, Outcome> runner,
      Consumer<Lease> reporting,
      Scheduler scheduler) {
    this.ledger = ledger;
    this.runner = runner;
    this.reporting = reporting;
    this.scheduler = scheduler;
    this.workersLeft = workerCount;
    for (int i = 0; i < workerCount; i++) {
      workers.add(RoleThreads.unstarted("worker-" + i, this::work));
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
    lock.lock();
    try {
      return scheduler.awaitUntil(lock, workerEnded, () -> workersLeft == 0, timeout);
    } finally {
      lock.unlock();
    }
  }

  public int busyWorkers() {
    return busy.get();
  }

  /**
   * Tells the pool that the calling thread has sent a request to an LLM server; on a worker, the
   * report it held back goes now. Other threads are ignored.
   */
  public void requestSent() {
    if (workers.contains(Thread.currentThread())) {
      releaseHeld();
    }
  }

  private void work() {
    try {
      while (true) {
        Job job = queue.poll();
        if (job == null) {
          releaseHeld(); // nothing to dispatch next
          job = queue.take();
        }
        if (job.lease() == null) {
          return;
        }
        runOne(job.lease());
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      releaseHeld();
      lock.lock();
      try {
        workersLeft--;
        workerEnded.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void runOne(Lease lease) {
    if (!ledger.start(lease).changed()) {
      ledger.drop(lease); // lost while it waited: this worker took it out of the queue
      return;
    }
    busy.incrementAndGet();
    HeldReport report = held.get();
    if (report != null) {
      report.bound = scheduler.schedule(REPORT_HOLD_LIMIT, report::release);
    }
    Outcome outcome;
    try {
      outcome = runner.apply(lease);
    } catch (RuntimeException e) {
      log.error("task {} ended with an unexpected error", lease.taskId(), e);
      outcome = new Outcome.HandBack("processor error: " + e);
    } finally {
      busy.decrementAndGet();
      releaseHeld();
    }
    if (ledger.finish(lease, outcome) instanceof Transition.Changed changed
        && changed.state() instanceof LeaseState.Reporting) {
      held.set(new HeldReport(lease));
    }
  }

  /** Passes on the calling worker's held report, if it has one. */
  private void releaseHeld() {
    HeldReport report = held.get();
    if (report != null) {
      held.remove();
      report.release();
    }
  }

  /**
   * A finished lease's report, held back by its worker; released once, by the worker or the bound.
   */
  private final class HeldReport {
    private final Lease lease;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Scheduler.Timer bound;

    HeldReport(Lease lease) {
      this.lease = lease;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        Scheduler.Timer timer = bound;
        if (timer != null) {
          timer.cancel();
        }
        reporting.accept(lease);
      }
    }
  }
}
