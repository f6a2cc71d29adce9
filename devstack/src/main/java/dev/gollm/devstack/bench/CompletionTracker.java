package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.CompleteCall;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Listens to a manager's complete calls ({@code ManagerServer.onComplete}) and records, per task,
 * when the first accepted call arrived ({@link System#nanoTime()}) and how many were accepted, so
 * the bench can wait for a set of tasks without polling and count duplicate completions.
 */
public final class CompletionTracker implements Consumer<CompleteCall> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition completed = lock.newCondition();
  private final Map<String, Long> firstAcceptedNanos = new HashMap<>();
  private final Map<String, Instant> firstAcceptedAt = new HashMap<>();
  private final Map<String, Integer> acceptedCalls = new HashMap<>();
  private long rejectedCalls;

  @Override
  public void accept(CompleteCall call) {
    long now = System.nanoTime();
    Instant at = Instant.now();
    lock.lock();
    try {
      if (!call.accepted()) {
        rejectedCalls++;
        return;
      }
      firstAcceptedNanos.putIfAbsent(call.taskId(), now);
      firstAcceptedAt.putIfAbsent(call.taskId(), at);
      acceptedCalls.merge(call.taskId(), 1, Integer::sum);
      completed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every task in {@code ids} has an accepted complete call; false on timeout. */
  public boolean awaitAll(Collection<String> ids, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!firstAcceptedNanos.keySet().containsAll(ids)) {
        if (left <= 0) {
          return false;
        }
        left = completed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** When the first accepted complete call for the task arrived, if one did. */
  public OptionalLong completedNanos(String id) {
    lock.lock();
    try {
      Long at = firstAcceptedNanos.get(id);
      return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    } finally {
      lock.unlock();
    }
  }

  /** The wall-clock time of the first accepted complete call for the task, if one arrived. */
  public Optional<Instant> completedAt(String id) {
    lock.lock();
    try {
      return Optional.ofNullable(firstAcceptedAt.get(id));
    } finally {
      lock.unlock();
    }
  }

  /** The latest first-completion time among {@code ids} that completed. */
  public OptionalLong lastCompletedNanos(Collection<String> ids) {
    lock.lock();
    try {
      return ids.stream()
          .map(firstAcceptedNanos::get)
          .filter(at -> at != null)
          .mapToLong(Long::longValue)
          .max();
    } finally {
      lock.unlock();
    }
  }

  /** How many of {@code ids} have no accepted complete call. */
  public long missing(Collection<String> ids) {
    lock.lock();
    try {
      return ids.stream().filter(id -> !firstAcceptedNanos.containsKey(id)).count();
    } finally {
      lock.unlock();
    }
  }

  /** How many of {@code ids} were accepted as complete more than once. */
  public long duplicated(Collection<String> ids) {
    lock.lock();
    try {
      return ids.stream().filter(id -> acceptedCalls.getOrDefault(id, 0) > 1).count();
    } finally {
      lock.unlock();
    }
  }

  /** How many complete calls for the task were accepted. */
  public int acceptedCalls(String id) {
    lock.lock();
    try {
      return acceptedCalls.getOrDefault(id, 0);
    } finally {
      lock.unlock();
    }
  }

  /** Complete calls the manager refused (any task). */
  public long rejectedCalls() {
    lock.lock();
    try {
      return rejectedCalls;
    } finally {
      lock.unlock();
    }
  }
}
