package dev.gollm.processor.task;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2ⁿ⁻¹)].
 */
public record Backoff(Duration base, Duration cap, RandomGenerator random) {
  public Duration delay(int attempt) {
    long ceiling = base.toNanos() << Math.min(Math.max(attempt - 1, 0), 30);
    if (ceiling <= 0 || ceiling > cap.toNanos()) {
      ceiling = cap.toNanos();
    }
    return Duration.ofNanos(random.nextLong(ceiling + 1));
  }
}
