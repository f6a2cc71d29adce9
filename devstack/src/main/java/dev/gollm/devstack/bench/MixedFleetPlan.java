package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.original.StrandingOptions;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The times of the mixed-fleet scenario: the real manager's thresholds and the processors' default
 * intervals (full run), or all of them scaled by the same factor (the quick run's 1/10), so the
 * race between stranding, stealing and cleanup keeps its shape in a tenth of the time.
 *
 * @param mode the bench plan's mode, {@code full} or {@code quick}
 * @param scale the factor every time below is multiplied by: 1 or 0.1
 * @param backlog tasks queued before ours start
 */
record MixedFleetPlan(String mode, double scale, int backlog) {
  /** The manager's: a processing task whose heartbeat is older than this may be stolen. */
  static final Duration STEAL_AFTER = Duration.ofSeconds(60);

  /** The manager's: cleanup requeues processing tasks whose heartbeat is older than this. */
  static final Duration STALE_AFTER = Duration.ofMinutes(5);

  /** The manager's: steals only from owners holding more than this many processing tasks. */
  static final int OWNER_MINIMUM = 5;

  /** How long a run may take before its figures are taken as they stand. */
  static final Duration CAP = Duration.ofSeconds(300);

  /** Our processors' default {@code WORK_STEALING_INTERVAL}. */
  static final Duration DEFAULT_STEAL_INTERVAL = Duration.ofSeconds(120);

  /** The short {@code WORK_STEALING_INTERVAL} of the second run (issue 16's). */
  static final Duration SHORT_STEAL_INTERVAL = Duration.ofSeconds(10);

  /** Our processors' lease-related defaults, scaled with the rest in the quick run. */
  private static final Map<String, Duration> PROCESSOR_INTERVALS =
      Map.of(
          "HEARTBEAT_INTERVAL", Duration.ofSeconds(15),
          "POLL_INTERVAL", Duration.ofSeconds(5),
          "CLEANUP_INTERVAL", Duration.ofSeconds(50),
          "SAFETY_POLL_INTERVAL", Duration.ofSeconds(30));

  /** The original's defaults: task heartbeats every 60 s, stream reconnect after 5 s. */
  private static final Duration ORIGINAL_HEARTBEAT = Duration.ofSeconds(60);

  private static final Duration ORIGINAL_RECONNECT = Duration.ofSeconds(5);

  MixedFleetPlan {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
    }
    if (backlog < 1) {
      throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
    }
  }

  /** The real times for the full run, a tenth of them for the quick one; 150 tasks either way. */
  static MixedFleetPlan of(BenchPlan plan) {
    return switch (plan.mode()) {
      case "full" -> new MixedFleetPlan(plan.mode(), 1, 150);
      case "quick" -> new MixedFleetPlan(plan.mode(), 0.1, 150);
      default ->
          throw new IllegalArgumentException(
              "unknown bench mode '" + plan.mode() + "'; expected full or quick");
    };
  }

  Duration scaled(Duration real) {
    return Duration.ofMillis(Math.round(real.toMillis() * scale));
  }

  Duration stealAfter() {
    return scaled(STEAL_AFTER);
  }

  Duration staleAfter() {
    return scaled(STALE_AFTER);
  }

  Duration cap() {
    return scaled(CAP);
  }

  Duration defaultStealInterval() {
    return scaled(DEFAULT_STEAL_INTERVAL);
  }

  Duration shortStealInterval() {
    return scaled(SHORT_STEAL_INTERVAL);
  }

  /**
   * The manager at these thresholds. Cleanup runs only when a processor asks for it, as on the real
   * one; complete calls are not kept (the bench listens to them).
   */
  ManagerOptions managerOptions() {
    return ManagerOptions.builder()
        .recordCompleteCalls(false)
        .stealAfter(stealAfter())
        .staleAfter(staleAfter())
        .stealOwnerMinimum(OWNER_MINIMUM)
        .build();
  }

  /**
   * Our processors' settings: SSE on, stealing every {@code stealInterval}; in a scaled run also
   * their heartbeat, poll, cleanup-trigger and safety-poll intervals, scaled from the defaults (in
   * the full run they keep the defaults).
   */
  Map<String, String> processorSettings(int workers, Duration stealInterval) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("WORKER_COUNT", Integer.toString(workers));
    settings.put("SSE_ENABLED", "true");
    settings.put("WORK_STEALING_ENABLED", "true");
    settings.put("WORK_STEALING_INTERVAL", goDuration(stealInterval));
    if (scale != 1) {
      PROCESSOR_INTERVALS.forEach((name, real) -> settings.put(name, goDuration(scaled(real))));
    }
    return settings;
  }

  /** The stranding processor as the original behaves, at these times. */
  StrandingOptions strandingOptions(
      URI manager, String apiKey, URI ollama, String processorId, int workers) {
    return StrandingOptions.builder(manager, apiKey, ollama)
        .processorId(processorId)
        .workers(workers)
        .heartbeatInterval(scaled(ORIGINAL_HEARTBEAT))
        .reconnectDelay(scaled(ORIGINAL_RECONNECT))
        .model(BenchStack.MODEL)
        .build();
  }

  private static String goDuration(Duration d) {
    return d.toMillis() + "ms";
  }
}
