package dev.gollm.devstack.soak;

import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.OllamaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Switches soak faults on and off at random, from a seed: after a random gap a fault whose switch
 * is free goes on, and goes off again after a random time. Everything runs on one timer thread, so
 * the faults never race each other; {@link #close()} turns every fault off.
 */
final class FaultSchedule implements AutoCloseable {
  private final ManagerServer manager;
  private final OllamaSimulator ollama;
  private final Random random;
  private final Duration minGap;
  private final Duration maxGap;
  private final Duration minOn;
  private final Duration maxOn;
  private final Consumer<String> log;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("soak-faults").daemon().unstarted(r));
  // Touched only on the timer thread, and by close() after the timer has stopped.
  private final Map<String, SoakFault> active = new HashMap<>();
  private final Map<SoakFault, Integer> activations = new EnumMap<>(SoakFault.class);
  private final List<String> events = new ArrayList<>();

  FaultSchedule(
      ManagerServer manager,
      OllamaSimulator ollama,
      long seed,
      Duration minGap,
      Duration maxGap,
      Duration minOn,
      Duration maxOn,
      Consumer<String> log) {
    this.manager = manager;
    this.ollama = ollama;
    this.random = new Random(seed);
    this.minGap = minGap;
    this.maxGap = maxGap;
    this.minOn = minOn;
    this.maxOn = maxOn;
    this.log = log;
  }

  void start() {
    scheduleNext();
  }

  private long between(Duration min, Duration max) {
    long span = max.toMillis() - min.toMillis();
    return min.toMillis() + (span <= 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
  }

  private void scheduleNext() {
    timer.schedule(this::tick, between(minGap, maxGap), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      List<SoakFault> free = new ArrayList<>();
      for (SoakFault f : SoakFault.values()) {
        if (!active.containsKey(f.channel())) {
          free.add(f);
        }
      }
      if (!free.isEmpty()) {
        SoakFault fault = free.get(random.nextInt(free.size()));
        fault.on(manager, ollama);
        activations.merge(fault, 1, Integer::sum);
        if (fault.instant()) {
          record("now", fault);
        } else {
          long onMs = between(minOn, maxOn);
          active.put(fault.channel(), fault);
          record("on for " + onMs + " ms", fault);
          timer.schedule(() -> switchOff(fault), onMs, TimeUnit.MILLISECONDS);
        }
      }
    } catch (RuntimeException e) {
      log.accept("fault schedule: " + e);
    }
    scheduleNext();
  }

  private void switchOff(SoakFault fault) {
    try {
      fault.off(manager, ollama);
    } catch (RuntimeException e) {
      log.accept("fault schedule: " + e);
    }
    active.remove(fault.channel());
    record("off", fault);
  }

  private void record(String what, SoakFault fault) {
    long s = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    events.add(String.format("t+%ds %s %s", s, fault, what));
    log.accept("fault " + fault + " " + what + ": " + fault.description());
  }

  /** How often each fault went on. */
  Map<SoakFault, Integer> activations() {
    return Map.copyOf(activations);
  }

  /** Every switch, in order, as "t+Ns FAULT on for N ms|off|now". */
  List<String> events() {
    return List.copyOf(events);
  }

  /** Stops switching and turns every fault that is on off. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.accept("fault schedule: the timer did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SoakFault fault : List.copyOf(active.values())) {
      switchOff(fault);
    }
    manager.faults().clearAll();
    ollama.faults().clear();
  }
}
