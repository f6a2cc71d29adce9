package dev.gollm.devstack.dev;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where {@code devstack dev} writes. On a terminal the progress of a batch is a bar redrawn in
 * place on the last line (with \r), every other line printed above it, and the processor's lines
 * dimmed; otherwise progress comes as plain lines. Thread-safe.
 */
final class Display implements AutoCloseable {
  private static final String CLEAR_LINE = "\r\u001b[K";
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";
  private static final int BAR_WIDTH = 24;
  private static final int PLAIN_STEPS = 10;

  private final PrintWriter out;
  private final boolean terminal;
  private final ScheduledExecutorService ticker;
  private Batch batch;
  private boolean plainSteps;
  private int lastPlainStep;
  private boolean barDrawn;

  /**
   * @param terminal whether {@code out} is an interactive terminal (bars and colours) or not (plain
   *     lines for logs and pipes)
   */
  Display(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    if (terminal) {
      // Keeps the elapsed time and rate moving while no task finishes.
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("dev-progress").daemon().factory());
      ticker.scheduleWithFixedDelay(this::redraw, 500, 500, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  boolean terminal() {
    return terminal;
  }

  /** Prints one line (above the progress bar, if one is shown). */
  synchronized void line(String text) {
    clearBar();
    out.println(text);
    drawBar();
    out.flush();
  }

  /** Prints a line of the processor's output: prefixed, and dimmed on a terminal. */
  void processorLine(String text) {
    String prefixed = "[processor] " + text;
    line(terminal ? DIM + prefixed + RESET : prefixed);
  }

  /**
   * Shows a batch's progress from now on: a bar on a terminal; otherwise, with {@code plainSteps},
   * a line at every tenth of the batch (without, the caller prints its own lines).
   */
  synchronized void showProgress(Batch shown, boolean withPlainSteps) {
    this.batch = shown;
    this.plainSteps = withPlainSteps;
    this.lastPlainStep = 0;
    drawBar();
    out.flush();
  }

  /** Call after a task of the shown batch finished: redraws the bar or prints a step line. */
  synchronized void progressed() {
    if (batch == null) {
      return;
    }
    if (terminal) {
      clearBar();
      drawBar();
    } else if (plainSteps) {
      BatchProgress progress = batch.progress(System.nanoTime());
      int step = progress.done() * PLAIN_STEPS / Math.max(1, progress.total());
      if (step > lastPlainStep) {
        lastPlainStep = step;
        out.println("progress: " + describe(progress));
      }
    }
    out.flush();
  }

  /** Stops showing progress; a bar stays on screen as its final state. */
  synchronized void endProgress() {
    if (batch == null) {
      return;
    }
    if (terminal) {
      clearBar();
      drawBar();
      out.println();
      barDrawn = false;
    }
    batch = null;
    out.flush();
  }

  private synchronized void redraw() {
    if (batch != null) {
      clearBar();
      drawBar();
      out.flush();
    }
  }

  private void clearBar() {
    if (barDrawn) {
      out.print(CLEAR_LINE);
      barDrawn = false;
    }
  }

  private void drawBar() {
    if (!terminal || batch == null) {
      return;
    }
    out.print(bar(batch.progress(System.nanoTime())));
    barDrawn = true;
  }

  /** The bar line: {@code [████░░░░] 5/12 2.4 tasks/s 0 failed 2.1 s}. */
  static String bar(BatchProgress progress) {
    int filled = progress.done() * BAR_WIDTH / Math.max(1, progress.total());
    return "  [" + "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled) + "]  " + describe(progress);
  }

  /** {@code 5/12 done, 0 failed, 2.4 tasks/s, 2.1 s}. */
  static String describe(BatchProgress progress) {
    return progress.done()
        + "/"
        + progress.total()
        + " done, "
        + progress.failed()
        + " failed, "
        + Text.rate(progress.rate())
        + " tasks/s, "
        + Text.seconds(progress.elapsed());
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    synchronized (this) {
      clearBar();
      out.flush();
    }
  }
}
