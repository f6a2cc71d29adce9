package dev.gollm.devstack.ollama;

import dev.gollm.devstack.http.HttpIo;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the simulator saw of one request: what was asked and when each phase began. Records of
 * requests still in progress have a null {@code end} and outcome {@code QUEUED} or {@code RUNNING}.
 *
 * @param id sequence number from 1, in arrival order
 * @param endpoint the path, e.g. {@code /api/chat}
 * @param model the model name as the request gave it (null when the body could not be read)
 * @param stream whether the answer was streamed
 * @param system the system prompt (all system messages joined by a newline), or null
 * @param user the user text (all user messages joined by a newline), or null
 * @param options the sampling options as the simulator applied them
 * @param keepAlive the request's keep_alive (negative: for ever), or null when it gave none
 * @param loadOnly an empty prompt that only loads (or unloads) the model
 * @param arrival when the request arrived
 * @param start when it got a generation slot (null if never)
 * @param firstToken when the first token was produced (null if never)
 * @param end when it ended (null while in progress)
 * @param outcome where it stands or how it ended
 * @param status the HTTP status sent (0 while none was sent)
 * @param doneReason {@code stop}, {@code length}, {@code load} or {@code unload} when done
 * @param evalCount tokens generated
 * @param promptEvalCount prompt tokens the model saw (after a cut), 0 before generation
 * @param numCtx the context window the request ran with, 0 before generation
 * @param cutTokens prompt tokens cut from the front because the prompt exceeded {@code numCtx}
 * @param coldStart whether this request loaded the model
 * @param loadDuration time spent making the model ready (loading or waiting for a load)
 * @param error the error message sent or the reason for cancellation, or null
 */
public record RequestRecord(
    long id,
    String endpoint,
    String model,
    boolean stream,
    String system,
    String user,
    GenerationOptions options,
    Duration keepAlive,
    boolean loadOnly,
    Instant arrival,
    Instant start,
    Instant firstToken,
    Instant end,
    Outcome outcome,
    int status,
    String doneReason,
    int evalCount,
    int promptEvalCount,
    int numCtx,
    int cutTokens,
    boolean coldStart,
    Duration loadDuration,
    String error) {

  /** Where a request stands or how it ended. */
  public enum Outcome {
    /** Waiting for a slot. */
    QUEUED,
    /** Holding a slot. */
    RUNNING,
    /** Answered completely. */
    DONE,
    /** The client went away before the answer was complete. */
    CANCELLED,
    /** Answered with an error (bad request, unknown model, injected fault, ...). */
    ERROR,
    /** Refused with 503 because the queue was full. */
    REJECTED;

    /** Whether the request has ended. */
    public boolean isFinal() {
      return this != QUEUED && this != RUNNING;
    }
  }

  /** Time spent waiting for a slot. */
  public Optional<Duration> queueWait() {
    return start == null ? Optional.empty() : Optional.of(Duration.between(arrival, start));
  }

  /** Time from arrival to the first token. */
  public Optional<Duration> timeToFirstToken() {
    return firstToken == null
        ? Optional.empty()
        : Optional.of(Duration.between(arrival, firstToken));
  }

  /** Time from arrival to the end. */
  public Optional<Duration> total() {
    return end == null ? Optional.empty() : Optional.of(Duration.between(arrival, end));
  }

  /** The record as served by {@code GET /_sim/requests}. */
  public ObjectNode toJson() {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put("id", id);
    o.put("endpoint", endpoint);
    o.put("model", model);
    o.put("stream", stream);
    o.put("system", system);
    o.put("user", user);
    o.set("options", options.toJson());
    o.put("keep_alive", keepAlive == null ? null : KeepAlive.format(keepAlive));
    o.put("load_only", loadOnly);
    o.put("arrival", arrival.toString());
    o.put("start", start == null ? null : start.toString());
    o.put("first_token", firstToken == null ? null : firstToken.toString());
    o.put("end", end == null ? null : end.toString());
    o.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    o.put("status", status);
    o.put("done_reason", doneReason);
    o.put("eval_count", evalCount);
    o.put("prompt_eval_count", promptEvalCount);
    o.put("num_ctx", numCtx);
    o.put("cut_tokens", cutTokens);
    o.put("cold_start", coldStart);
    o.put("load_ms", millis(loadDuration));
    o.put("queue_ms", queueWait().map(RequestRecord::millis).orElse(null));
    o.put("ttft_ms", timeToFirstToken().map(RequestRecord::millis).orElse(null));
    o.put("total_ms", total().map(RequestRecord::millis).orElse(null));
    o.put("error", error);
    return o;
  }

  private static Double millis(Duration d) {
    return d == null ? null : d.toNanos() / 1e6;
  }
}
