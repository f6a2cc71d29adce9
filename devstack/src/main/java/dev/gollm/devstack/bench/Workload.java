package dev.gollm.devstack.bench;

import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tasks the scenarios submit and how their requests are found again: every task has a unique
 * input text, and the simulator records each request's {@code user} text.
 */
final class Workload {
  /** 20 ms of generation: first token after 5 ms, then 3 more at 200 tokens/s. */
  static final ModelProfile TASK_20MS =
      ModelProfile.fast(BenchStack.MODEL)
          .withLoadTime(Duration.ZERO)
          .withTimeToFirstToken(Duration.ofMillis(5))
          .withTokensPerSecond(200)
          .withAnswerLength(AnswerLength.fixed(4));

  /** 100 ms of generation: first token after 10 ms, then 9 more at 100 tokens/s. */
  static final ModelProfile TASK_100MS =
      ModelProfile.fast(BenchStack.MODEL)
          .withLoadTime(Duration.ZERO)
          .withTimeToFirstToken(Duration.ofMillis(10))
          .withTokensPerSecond(100)
          .withAnswerLength(AnswerLength.fixed(10));

  /** The nominal length of a {@link #TASK_100MS} task. */
  static final double TASK_100MS_MILLIS = 100;

  /** The nominal length of a {@link #TASK_20MS} task. */
  static final double TASK_20MS_MILLIS = 20;

  /** How long one task may take in the one-at-a-time scenarios before the run gives up. */
  static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

  private static final String PRODUCT = "hand-thrown stoneware mug, 350 ml, matte glaze";

  private Workload() {}

  /** The input text of task {@code i} of a series. */
  static String text(String prefix, int i) {
    return prefix + "-" + i + " " + PRODUCT;
  }

  /** The input texts {@code prefix-0 …} to {@code prefix-(n-1) …}. */
  static List<String> texts(String prefix, int n) {
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      texts.add(text(prefix, i));
    }
    return texts;
  }

  /** The first simulator record per user text (each task's text is unique). */
  static Map<String, RequestRecord> firstRecordByText(List<RequestRecord> records) {
    Map<String, RequestRecord> byText = new LinkedHashMap<>();
    for (RequestRecord r : records) {
      if (r.user() != null) {
        byText.putIfAbsent(r.user(), r);
      }
    }
    return byText;
  }

  /** The records of requests for these texts, in the simulator's order. */
  static List<RequestRecord> recordsFor(List<RequestRecord> records, List<String> texts) {
    Set<String> wanted = Set.copyOf(texts);
    return records.stream().filter(r -> r.user() != null && wanted.contains(r.user())).toList();
  }

  /** Generous: four times the ideal time plus a minute, so only a stuck run times out. */
  static Duration batchTimeout(int tasks, double taskMs, int concurrency) {
    return Duration.ofMillis((long) (4 * tasks * taskMs / concurrency) + 60_000);
  }

  /**
   * Submits one task every {@code spacing} from a timer, recording when each was submitted; their
   * ids in order.
   */
  static List<String> submitAtPace(
      BenchStack stack, List<String> texts, Duration spacing, Instant[] submitted)
      throws InterruptedException {
    int n = texts.size();
    String[] ids = new String[n];
    CountDownLatch allSubmitted = new CountDownLatch(n);
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ScheduledExecutorService pacer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-pacer").daemon().factory());
    try {
      pacer.scheduleAtFixedRate(
          () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
              return;
            }
            try {
              submitted[i] = Instant.now();
              ids[i] = stack.manager().submit(texts.get(i));
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            } finally {
              allSubmitted.countDown();
            }
          },
          0,
          spacing.toNanos(),
          TimeUnit.NANOSECONDS);
      if (!allSubmitted.await(
          spacing.multipliedBy(n).plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchException("could not submit " + n + " tasks at their pace in time");
      }
    } finally {
      pacer.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return List.of(ids);
  }
}
