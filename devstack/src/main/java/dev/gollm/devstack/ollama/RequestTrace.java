package dev.gollm.devstack.ollama;

import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.time.Duration;
import java.time.Instant;

/** The growing record of one request in progress; the first final outcome sticks. */
final class RequestTrace {
  private final long id;
  private final long epoch;
  private final String endpoint;
  private final Instant arrival = Instant.now();
  private final long arrivalNanos = System.nanoTime();
  private final RequestLog log;

  private String model;
  private boolean stream;
  private String system;
  private String user;
  private GenerationOptions options = GenerationOptions.NONE;
  private Duration keepAlive;
  private boolean loadOnly;
  private int promptEvalCount;
  private int numCtx;
  private int cutTokens;
  private long startNanos = -1;
  private long firstTokenNanos = -1;
  private long endNanos = -1;
  private Outcome outcome = Outcome.RUNNING;
  private int status;
  private String doneReason;
  private int evalCount;
  private boolean coldStart;
  private long loadNanos = -1;
  private String error;

  RequestTrace(long id, long epoch, String endpoint, RequestLog log) {
    this.id = id;
    this.epoch = epoch;
    this.endpoint = endpoint;
    this.log = log;
  }

  long id() {
    return id;
  }

  long epoch() {
    return epoch;
  }

  long arrivalNanos() {
    return arrivalNanos;
  }

  String endpoint() {
    return endpoint;
  }

  synchronized void describe(
      String model,
      boolean stream,
      String system,
      String user,
      GenerationOptions options,
      Duration keepAlive,
      boolean loadOnly) {
    this.keepAlive = keepAlive;
    this.model = model;
    this.stream = stream;
    this.system = system;
    this.user = user;
    this.options = options;
    this.loadOnly = loadOnly;
  }

  synchronized void prompt(int tokens, int contextWindow, int cut) {
    promptEvalCount = tokens;
    numCtx = contextWindow;
    cutTokens = cut;
  }

  synchronized void queued() {
    outcome = Outcome.QUEUED;
  }

  synchronized void started() {
    startNanos = System.nanoTime();
    outcome = Outcome.RUNNING;
  }

  synchronized void loaded(ModelStore.Lease lease) {
    coldStart = lease.cold();
    loadNanos = lease.loadNanos();
  }

  synchronized void firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
    }
  }

  synchronized void status(int sent) {
    status = sent;
  }

  /** Ends the trace unless it has ended already. */
  void finish(Outcome how, int sentStatus, String reason, int tokens, String message) {
    synchronized (this) {
      if (outcome.isFinal()) {
        return;
      }
      endNanos = System.nanoTime();
      outcome = how;
      if (sentStatus != 0) {
        status = sentStatus;
      }
      doneReason = reason;
      evalCount = tokens;
      error = message;
    }
    log.finished(this, how);
  }

  /**
   * Marks a request recorded as done as cancelled after all, when writing its last bytes failed.
   * (Outcomes are recorded before the last write so that a client that has read the whole answer
   * always finds the final record.)
   */
  void cancelAfterDone(String message) {
    synchronized (this) {
      if (outcome != Outcome.DONE) {
        return;
      }
      outcome = Outcome.CANCELLED;
      error = message;
    }
    log.revised(this, Outcome.DONE, Outcome.CANCELLED);
  }

  synchronized RequestRecord snapshot() {
    return new RequestRecord(
        id,
        endpoint,
        model,
        stream,
        system,
        user,
        options,
        keepAlive,
        loadOnly,
        arrival,
        at(startNanos),
        at(firstTokenNanos),
        at(endNanos),
        outcome,
        status,
        doneReason,
        evalCount,
        promptEvalCount,
        numCtx,
        cutTokens,
        coldStart,
        loadNanos < 0 ? null : Duration.ofNanos(loadNanos),
        error);
  }

  private Instant at(long nanos) {
    return nanos < 0 ? null : arrival.plusNanos(nanos - arrivalNanos);
  }
}
