package dev.gollm.processor.llm.route;

import dev.gollm.processor.schedule.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One endpoint's pace: how long its generations of each model take (a running mean of those it
 * finished) and which of its slots are in use since when. From these the router tells which
 * endpoint would finish a task soonest, and when a busy endpoint should free a slot. Not
 * thread-safe: the router guards it.
 */
final class Pace {
  /** The newest generation's weight in the running mean: recent speed counts most. */
  static final double NEWEST_WEIGHT = 0.2;

  /** A slot in use: since when, for which model. */
  record Busy(Instant since, String model) {}

  private final Map<String, Double> typicalNanos = new HashMap<>();
  private final List<Busy> busy = new ArrayList<>();

  /** A slot was taken for a generation of {@code model}. */
  Busy taken(Instant now, String model) {
    Busy slot = new Busy(now, model);
    busy.add(slot);
    return slot;
  }

  /** The slot is free again. */
  void freed(Busy slot) {
    // By identity: each taking is a slot of its own, even at the same instant for the same model.
    for (int i = 0; i < busy.size(); i++) {
      if (busy.get(i) == slot) {
        busy.remove(i);
        return;
      }
    }
  }

  int inUse() {
    return busy.size();
  }

  /** A generation of {@code model} took {@code time} on the server. */
  void finished(String model, Duration time) {
    double nanos = time.toNanos();
    typicalNanos.merge(model, nanos, (mean, sample) -> mean + NEWEST_WEIGHT * (sample - mean));
  }

  /** How long a generation of {@code model} usually takes here; empty until one finished. */
  Optional<Duration> typical(String model) {
    Double nanos = typicalNanos.get(model);
    return nanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(nanos)));
  }

  /** Each timed model's typical generation time, in ms, for /ready. */
  Map<String, Long> typicalMillis() {
    Map<String, Long> out = new TreeMap<>();
    typicalNanos.forEach((model, nanos) -> out.put(model, Math.round(nanos / 1e6)));
    return out;
  }

  /**
   * How many generations taking {@code each} its busy slots could finish by {@code deadline} once
   * free, by their generations' typical times; 0 when a busy slot's model has no typical time yet.
   */
  long completionsBy(Instant now, Instant deadline, Duration each) {
    long count = 0;
    for (Busy slot : busy) {
      Optional<Duration> typical = typical(slot.model());
      if (typical.isEmpty()) {
        return 0;
      }
      Instant due = slot.since().plus(typical.get());
      Duration left = Duration.between(due.isBefore(now) ? now : due, deadline);
      if (left.isPositive()) {
        count += Durations.quotient(left, each);
      }
    }
    return count;
  }
}
