package dev.gollm.devstack.dev;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Turns the manager's accepted complete calls into output: a result line per task (its input → its
 * result, or the failure reason) and progress of the batch it belongs to. Tasks submitted from
 * elsewhere (another terminal) are printed too. Works on its own thread, so the manager answers the
 * processor without waiting for the terminal.
 */
final class ResultFeed implements AutoCloseable {
  private static final int INPUT_WIDTH = 44;
  private static final int RESULT_WIDTH = 70;

  /** Put in the queue by {@link #close()}: everything before it is still printed. */
  private static final CompleteCall END = new CompleteCall("", null, null, null, 0, 0);

  private final ManagerServer manager;
  private final Display display;
  private final BlockingQueue<CompleteCall> calls = new LinkedBlockingQueue<>();
  private final Thread worker;
  private Batch batch;
  private boolean printBatchResults;
  private CompletableFuture<BatchProgress> batchShown = new CompletableFuture<>();

  /** Starts listening to {@code manager}'s complete calls. */
  ResultFeed(ManagerServer manager, Display display) {
    this.manager = manager;
    this.display = display;
    manager.onComplete(this::enqueue);
    this.worker = Thread.ofVirtual().name("dev-results").start(this::drain);
  }

  /**
   * Submits {@code tasks} as the batch whose progress is shown. Calls arriving meanwhile wait, so
   * even a task completed before {@code submit} returns counts for the batch.
   *
   * @param printResults print a line per finished task (else only progress)
   */
  synchronized Batch submit(List<NewTask> tasks, boolean printResults) {
    long millis = System.currentTimeMillis();
    long nanos = System.nanoTime();
    List<String> ids = manager.submit(tasks);
    batch = new Batch(ids, millis, nanos);
    printBatchResults = printResults;
    batchShown = new CompletableFuture<>();
    display.showProgress(batch, !printResults);
    return batch;
  }

  /**
   * Completes with the final progress once every task of the last submitted batch has finished and
   * its last line is printed (so what the caller prints next comes after it).
   */
  synchronized CompletableFuture<BatchProgress> batchShown() {
    return batchShown;
  }

  private void enqueue(CompleteCall call) {
    if (call.accepted()) {
      calls.add(call);
    }
  }

  private void drain() {
    try {
      for (CompleteCall call = calls.take(); call != END; call = calls.take()) {
        handle(call);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void handle(CompleteCall call) {
    boolean succeeded = TaskStatus.COMPLETED.wire().equals(call.status());
    Optional<TaskRecord> task;
    try {
      task = manager.task(call.taskId());
    } catch (RuntimeException e) {
      task = Optional.empty(); // the manager is closing after a failure; print what the call says
    }
    if (batch != null && batch.contains(call.taskId())) {
      if (!batch.finish(call.taskId(), succeeded, call.atMillis(), System.nanoTime())) {
        return;
      }
      BatchProgress progress = batch.progress(System.nanoTime());
      if (printBatchResults) {
        display.line(
            resultLine(
                "[" + progress.done() + "/" + progress.total() + "]", succeeded, task, call));
      }
      display.progressed();
      if (progress.isComplete()) {
        display.endProgress();
        batchShown.complete(progress);
      }
      return;
    }
    display.line(resultLine("[task " + shortId(call.taskId()) + "]", succeeded, task, call));
  }

  /** {@code [3/12] ✓ 0.8 s input… → result…} or {@code [3/12] ✗ 0.8 s input… → failed: why}. */
  static String resultLine(
      String prefix, boolean succeeded, Optional<TaskRecord> task, CompleteCall call) {
    String input = task.map(t -> Text.abbreviate(t.productData(), INPUT_WIDTH)).orElse("(gone)");
    String time =
        task.map(t -> Text.seconds(Duration.ofMillis(Math.max(0, call.atMillis() - t.createdAt()))))
            .orElse("?");
    String outcome =
        succeeded
            ? task.map(t -> Text.abbreviate(t.result(), RESULT_WIDTH)).orElse("(gone)")
            : "failed: " + Text.abbreviate(call.errorMessage(), RESULT_WIDTH);
    return prefix + " " + (succeeded ? "✓" : "✗") + " " + time + "  " + input + " → " + outcome;
  }

  private static String shortId(String id) {
    return id.length() <= 8 ? id : id.substring(0, 8);
  }

  /** Prints what has arrived so far, then stops. */
  @Override
  public void close() {
    calls.add(END);
    try {
      if (!worker.join(Duration.ofSeconds(10))) {
        worker.interrupt();
      }
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
    }
  }
}
