package dev.gollm.processor.task;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseState;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.prompt.InvalidTaskException;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.schedule.Scheduler;
import dev.gollm.processor.schedule.Waits;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does one leased task's work and says how it ended, as an {@link Outcome}; reporting it is the
 * {@link OutcomeReporter}'s job.
 *
 * <p>Success → {@link Outcome.Completed}. A permanent failure (bad parameters, a model that cannot
 * be had, empty product data) → {@link Outcome.Failed} at once. Retryable failures are retried up
 * to MAX_RETRIES times with backoff, then → {@link Outcome.HandBack}; if this processor handed the
 * task back before, → {@link Outcome.Failed} instead, since the manager would let it circulate
 * forever. A lost lease → {@link Outcome.Drop}; a shutdown → {@link Outcome.HandBack}.
 */
public final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  /** The reason a task interrupted or never started by a shutdown is handed back with. */
  public static final String SHUTDOWN_REASON = "processor shutting down";

  private final LlmClient llm;
  private final PromptBuilder prompts;
  private final ProcessorMetrics metrics;
  private final RequeueMemory requeued;
  private final int maxRetries;
  private final Backoff backoff;
  private final Scheduler scheduler;

  public TaskRunner(
      LlmClient llm,
      PromptBuilder prompts,
      ProcessorMetrics metrics,
      RequeueMemory requeued,
      int maxRetries,
      Backoff backoff,
      Scheduler scheduler) {
    this.llm = llm;
    this.prompts = prompts;
    this.metrics = metrics;
    this.requeued = requeued;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.scheduler = scheduler;
  }

  /** Runs the lease's task on the calling worker; returns how it ended. */
  public Outcome run(Lease lease) {
    String id = lease.taskId();
    ChatRequest request;
    try {
      request = prompts.build(lease.task().productData(), lease.task().ollamaParams());
    } catch (InvalidTaskException e) {
      log.warn("task {} is invalid: {}", id, e.getMessage());
      return new Outcome.Failed(Outcome.Kind.INVALID_TASK, e.getMessage());
    }
    Attempts attempts = generate(lease, request);
    if (attempts instanceof Attempts.Generated(Generation g)) {
      log.info(
          "task {} generated: {} prompt and {} answer tokens in {} ms, first after {} ms ({}) by"
              + " {}",
          id,
          g.promptEvalCount(),
          g.evalCount(),
          g.elapsed().toMillis(),
          g.firstToken() == null ? "-" : g.firstToken().toMillis(),
          g.doneReason(),
          g.endpoint());
      metrics.generation(g.elapsed(), g.firstToken(), g.evalCount(), g.evalDuration());
      requeued.forget(id);
      return new Outcome.Completed(g.text(), g.evalCount(), g.elapsed());
    }
    if (attempts instanceof Attempts.Permanent(Outcome.Kind kind, String reason)) {
      log.warn("task {} failed permanently: {}", id, reason);
      return new Outcome.Failed(kind, reason);
    }
    if (attempts instanceof Attempts.Exhausted(String lastError)) {
      String reason = "gave up after " + (maxRetries + 1) + " attempts: " + lastError;
      if (requeued.wasRequeued(id)) {
        log.warn("task {} failed again after a requeue; failing it: {}", id, reason);
        requeued.forget(id);
        return new Outcome.Failed(Outcome.Kind.RETRIES_EXHAUSTED, reason);
      }
      log.warn("task {}: {}; requeueing it", id, reason);
      requeued.remember(id, reason);
      return new Outcome.HandBack(reason);
    }
    // Attempts.Cancelled
    if (lease.state() instanceof LeaseState.Lost lost) {
      log.info("task {} dropped: its lease was lost ({})", id, lost.reason());
      return new Outcome.Drop(lost.reason());
    }
    log.info("task {} interrupted by shutdown; requeueing it", id);
    return new Outcome.HandBack(SHUTDOWN_REASON);
  }

  /** How the generation attempts ended. */
  private sealed interface Attempts {
    record Generated(Generation generation) implements Attempts {}

    record Permanent(Outcome.Kind kind, String reason) implements Attempts {}

    record Exhausted(String lastError) implements Attempts {}

    record Cancelled() implements Attempts {}
  }

  private Attempts generate(Lease lease, ChatRequest request) {
    CancelSignal cancel = lease.cancel();
    boolean pulledAfterMissing = false;
    int failures = 0;
    while (!cancel.isCancelled()) {
      try {
        llm.ensureModel(request.model(), cancel);
        return new Attempts.Generated(llm.chat(request, cancel));
      } catch (LlmException.ModelMissing e) {
        if (pulledAfterMissing) {
          return new Attempts.Permanent(
              Outcome.Kind.MODEL_MISSING,
              "model " + request.model() + " is missing even after a pull: " + e.getMessage());
        }
        pulledAfterMissing = true; // the catalog forgot the model; ensureModel pulls it
      } catch (LlmException.Permanent e) {
        return new Attempts.Permanent(Outcome.Kind.REJECTED, e.getMessage());
      } catch (LlmException.Cancelled e) {
        return new Attempts.Cancelled();
      } catch (LlmException.Retryable e) {
        failures++;
        if (failures > maxRetries) {
          return new Attempts.Exhausted(e.getMessage());
        }
        metrics.taskRetried(e.failure());
        Duration delay = backoff.delay(failures);
        log.info(
            "task {} attempt {} failed: {}; retrying in {} ms",
            lease.taskId(),
            failures,
            e.getMessage(),
            delay.toMillis());
        if (Waits.pause(scheduler, delay, cancel)) {
          return new Attempts.Cancelled();
        }
      }
    }
    return new Attempts.Cancelled();
  }
}
