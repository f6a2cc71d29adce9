package dev.gollm.processor.llm.route;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend whose answers the test scripts: queued failures first, then success; optionally held
 * open until released, to occupy a slot.
 */
final class FakeBackend implements Backend {
  private final String name;
  private final Deque<LlmException> failures = new ArrayDeque<>();
  private volatile Set<String> models; // null: any model
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private volatile Duration elapsed = Duration.ofMillis(40);
  final AtomicInteger chats = new AtomicInteger();
  final AtomicInteger running = new AtomicInteger();

  FakeBackend(String name) {
    this.name = name;
  }

  FakeBackend offering(String... offered) {
    models = Set.of(offered);
    return this;
  }

  synchronized FakeBackend failNext(LlmException e) {
    failures.add(e);
    return this;
  }

  /** Its generations say they took {@code time}. */
  FakeBackend taking(Duration time) {
    elapsed = time;
    return this;
  }

  /** Chats block until {@link #release()}. */
  FakeBackend holding() {
    hold = new CountDownLatch(1);
    return this;
  }

  void release() {
    hold.countDown();
  }

  @Override
  public String api() {
    return "fake";
  }

  @Override
  public boolean mayServe(String model) {
    return models == null || models.contains(model);
  }

  @Override
  public void ping() {}

  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    if (!mayServe(model)) {
      throw new LlmException.Permanent(name + " offers " + models, null);
    }
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    chats.incrementAndGet();
    LlmException failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      throw failure;
    }
    running.incrementAndGet();
    try {
      hold.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException.Cancelled("interrupted");
    } finally {
      running.decrementAndGet();
    }
    return new Generation(
        name, "stop", 3, Duration.ofMillis(30), 7, Duration.ZERO, Duration.ofMillis(5), elapsed);
  }
}
