package dev.gollm.processor.config;

import java.time.Duration;
import java.util.function.UnaryOperator;

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
 * @param ollamaProbeInterval how long an answer from the LLM servers keeps /ready from pinging them
 *     again (they are pinged when readiness is asked, not on a timer)
 * @param ollamaConnectTimeout the TCP connect timeout towards Ollama
 * @param stealConfirmDelay how long after a work-steal its tasks are confirmed with a heartbeat:
 *     the manager's steal selects, then updates without a condition, so a second stealer's update
 *     can land just after our answer; confirming later lets it land first, and the 404 tells
 * @param ownershipWindow how recently a claim or heartbeat must have found a task ours for its
 *     result to go to the manager without a confirming heartbeat: HEARTBEAT_INTERVAL, at most 30 s
 *     (half the manager's 60 s steal threshold). A manager takes away only tasks whose heartbeat is
 *     older than its thresholds, and one that took tasks heartbeated within an interval would break
 *     every processor's leases, so a task found ours within one interval is still ours
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
    Duration stealConfirmDelay,
    Duration ownershipWindow) {

  /** Exponential backoff from {@code base}, doubling up to {@code cap}, fully jittered. */
  public record BackoffLimits(Duration base, Duration cap) {}

  /**
   * The prefix of the JVM system properties that replace a default: {@code
   * processor.policy.reportDeadline=1s}, {@code processor.policy.generationBackoff.base=50ms}, and
   * so on for every field but {@code shutdownGrace} (a variable). They exist so that tests can run
   * a processor JVM on short delays; they are not settings for operators, who have the variables.
   */
  public static final String PROPERTY_PREFIX = "processor.policy.";

  /** The policy for this configuration: its variables plus the defaults for the rest. */
  public static ProcessorPolicy from(ProcessorConfig config) {
    return from(config, System::getProperty);
  }

  /**
   * The policy for this configuration, with the defaults that {@code properties} (a name to value
   * lookup, null when absent) replace.
   *
   * @throws IllegalArgumentException naming the property, when a value is not a positive duration
   *     or count
   */
  public static ProcessorPolicy from(ProcessorConfig config, UnaryOperator<String> properties) {
    Overrides o = new Overrides(properties);
    return new ProcessorPolicy(
        o.backoff("generationBackoff", Duration.ofMillis(500), Duration.ofSeconds(30)),
        o.backoff("reportBackoff", Duration.ofMillis(500), Duration.ofSeconds(30)),
        o.backoff("claimErrorBackoff", Duration.ofSeconds(1), Duration.ofSeconds(60)),
        config.shutdownGrace(),
        o.duration("reportDeadline", Duration.ofSeconds(10)),
        o.duration("abandonWait", Duration.ofSeconds(5)),
        o.duration("workerStopWait", Duration.ofSeconds(5)),
        o.duration("loopStopWait", Duration.ofSeconds(15)),
        o.count("requeueMemorySize", 10_000),
        o.duration("ollamaProbeInterval", Duration.ofSeconds(15)),
        o.duration("ollamaConnectTimeout", Duration.ofSeconds(10)),
        o.duration("stealConfirmDelay", Duration.ofSeconds(1)),
        o.duration("ownershipWindow", min(Duration.ofSeconds(30), config.heartbeatInterval())));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The defaults, each replaced by its system property when that is set. */
  private record Overrides(UnaryOperator<String> properties) {
    BackoffLimits backoff(String field, Duration base, Duration cap) {
      return new BackoffLimits(duration(field + ".base", base), duration(field + ".cap", cap));
    }

    Duration duration(String field, Duration otherwise) {
      String text = properties.apply(PROPERTY_PREFIX + field);
      if (text == null) {
        return otherwise;
      }
      try {
        Duration d = GoDuration.parse(text.strip());
        if (d.isPositive()) {
          return d;
        }
      } catch (InvalidValueException e) {
        // reported below with the property's name
      }
      throw invalid(field, text, "a positive duration with a unit, such as 250ms or 10s");
    }

    int count(String field, int otherwise) {
      String text = properties.apply(PROPERTY_PREFIX + field);
      if (text == null) {
        return otherwise;
      }
      try {
        int n = Integer.parseInt(text.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the property's name
      }
      throw invalid(field, text, "a positive whole number");
    }

    private static IllegalArgumentException invalid(String field, String text, String expected) {
      return new IllegalArgumentException(
          "system property "
              + PROPERTY_PREFIX
              + field
              + ": \""
              + text
              + "\", expected "
              + expected);
    }
  }
}
