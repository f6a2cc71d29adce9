package dev.gollm.processor.schedule;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads for the roles that spend their lives waiting on sockets once per task or more:
 * the workers (reading a generation's stream chunk by chunk), the task-stream reader, the intake
 * loops, the reporters and the timers' actions.
 *
 * <p>Why not virtual threads there: a virtual thread that waits for a socket parks its stack
 * (freeze), registers the socket with the JDK's poller, and on data the poller thread wakes up,
 * hands the thread to a carrier, which wakes up in turn and thaws the stack. A platform thread
 * waiting in {@code poll} is woken by the kernel directly. With one wait per streamed chunk, that
 * difference was 40 % of the processor's CPU per task (docs/benchmarks.md, "Platform threads for
 * the socket-bound roles"). The timers' actions (mostly manager calls) run on {@link #onDemand}
 * threads too (part 10 there). Fan-outs of heartbeats and health requests stay on virtual threads,
 * where starting one costs less than keeping a platform thread.
 */
public final class RoleThreads {
  /** How long an idle thread of {@link #onDemand} is kept for the next job. */
  private static final long IDLE_KEEP_ALIVE_SECONDS = 60;

  private RoleThreads() {}

  /** A daemon platform thread for one long-lived role, not yet started. */
  public static Thread unstarted(String name, Runnable role) {
    return Thread.ofPlatform().name(name).daemon().unstarted(role);
  }

  /**
   * Daemon platform threads named {@code prefix-N}, created as work arrives and ended after a
   * minute without any: as many at once as there are jobs in progress (for reports, bounded by the
   * leases the processor holds), none while the processor is idle.
   */
  public static ExecutorService onDemand(String prefix) {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        IDLE_KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        Thread.ofPlatform().name(prefix + "-", 0).daemon().factory());
  }
}
