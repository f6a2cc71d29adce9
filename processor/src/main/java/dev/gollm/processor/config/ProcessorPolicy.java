package dev.gollm.processor.config;

import java.time.Duration;

/**
 * Every delay, wait and size the processor's roles work with that is not a variable of its own:
 * built from the configuration in one place ({@link #from}), so tests can shorten any of them.
 *
 * @param generationBackoff between attempts of a generation that failed in a retryable way
 * @param reportBackoff between attempts of a report (complete, requeue) the manager did not take
 * @param claimErrorBackoff between claims that failed
 * @param shutdownGrace SHUTDOWN_GRACE: running tasks' time to finish on a stop
 * @param reportDeadline after the grace, the time reports still retrying get before they are
 *     abandoned
 * @param abandonWait after abandoning, the time the abandoned reports get to end
 * @param workerStopWait the time workers get to end after the last report
 * @param loopStopWait the time a loop (claimer, periodic job) gets to end its current round
 * @param requeueMemorySize how many handed-back tasks the processor remembers (to fail them the
 *     second time)
 * @param ollamaProbeInterval how often Ollama is pinged for readiness
 * @param ollamaConnectTimeout the TCP connect timeout towards Ollama
 * @param stealConfirmDelay how long after a work-steal its tasks are confirmed with a heartbeat:
 *     the manager's steal selects, then updates without a condition, so a second stealer's update
 *     can land just after our answer; confirming later lets it land first, and the 404 tells
 */
public record ProcessorPolicy(
    BackoffLimits generationBackoff,
    BackoffLimits reportBackoff,
    BackoffLimits claimErrorBackoff,
    Duration shutdownGrace,
    Duration reportDeadline,
    Duration abandonWait,
    Duration workerStopWait,
    Duration loopStopWait,
    int requeueMemorySize,
    Duration ollamaProbeInterval,
    Duration ollamaConnectTimeout,
    Duration stealConfirmDelay) {

  /** Exponential backoff from {@code base}, doubling up to {@code cap}, fully jittered. */
  public record BackoffLimits(Duration base, Duration cap) {}

  /** The policy for this configuration: its variables plus the defaults for the rest. */
  public static ProcessorPolicy from(ProcessorConfig config) {
    return new ProcessorPolicy(
        new BackoffLimits(Duration.ofMillis(500), Duration.ofSeconds(30)),
        new BackoffLimits(Duration.ofMillis(500), Duration.ofSeconds(30)),
        new BackoffLimits(Duration.ofSeconds(1), Duration.ofSeconds(60)),
        config.shutdownGrace(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        10_000,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1));
  }
}
