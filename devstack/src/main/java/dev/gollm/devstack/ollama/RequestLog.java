package dev.gollm.devstack.ollama;

import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces of the most recent requests (at most {@code capacity}; the oldest are dropped) and
 * counters since start or the last reset, which do not forget.
 */
final class RequestLog {
  /** Records kept by default: plenty for a benchmark, bounded for a long soak. */
  static final int DEFAULT_CAPACITY = 100_000;

  private final int capacity;
  private final ArrayDeque<RequestTrace> traces = new ArrayDeque<>();
  private long nextId = 1;
  private long epoch;
  private long requests;
  private long pulls;
  private long done;
  private long cancelled;
  private long errors;
  private long rejected;

  RequestLog(int capacity) {
    this.capacity = capacity;
  }

  /** Starts the trace of a request that just arrived at {@code endpoint}. */
  synchronized RequestTrace begin(String endpoint) {
    RequestTrace t = new RequestTrace(nextId++, epoch, endpoint, this);
    if (traces.size() == capacity) {
      traces.removeFirst();
    }
    traces.addLast(t);
    if (OllamaApi.PULL.equals(endpoint)) {
      pulls++;
    } else {
      requests++;
    }
    return t;
  }

  synchronized void finished(RequestTrace trace, Outcome how) {
    if (counted(trace)) {
      count(how, 1);
    }
  }

  synchronized void revised(RequestTrace trace, Outcome from, Outcome to) {
    if (counted(trace)) {
      count(from, -1);
      count(to, 1);
    }
  }

  private boolean counted(RequestTrace trace) {
    return trace.epoch() == epoch && !OllamaApi.PULL.equals(trace.endpoint());
  }

  private void count(Outcome how, int delta) {
    switch (how) {
      case DONE -> done += delta;
      case CANCELLED -> cancelled += delta;
      case ERROR -> errors += delta;
      case REJECTED -> rejected += delta;
      case QUEUED, RUNNING -> throw new IllegalArgumentException(how + " is not a final outcome");
    }
  }

  synchronized List<RequestRecord> records() {
    List<RequestRecord> out = new ArrayList<>(traces.size());
    for (RequestTrace t : traces) {
      out.add(t.snapshot());
    }
    return out;
  }

  synchronized SimulatorStats stats(SlotGate gate) {
    return new SimulatorStats(
        requests,
        pulls,
        done,
        cancelled,
        errors,
        rejected,
        gate.active(),
        gate.queued(),
        gate.peakActive(),
        gate.peakQueued());
  }

  /** Forgets all records and zeroes the counters; requests in flight are no longer counted. */
  synchronized void reset() {
    traces.clear();
    epoch++;
    requests = pulls = done = cancelled = errors = rejected = 0;
  }
}
