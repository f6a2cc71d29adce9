package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.ollama.AnswerShape.Reply;
import dev.gollm.devstack.ollama.AnswerShape.Result;
import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Serves one generation request through the latency and capacity model: validate, find the model,
 * wait for a slot, load the model if it is cold, then emit tokens on the model's schedule.
 *
 * <p>A client that goes away is noticed at the next write, which fails; the slot is then released
 * at once. Before the first line nothing is written (a queued or loading request sends no bytes),
 * so a disconnect during queueing, load or time-to-first-token is noticed only when the first line
 * is due; while streaming, within one or two token intervals. A non-streamed request notices it
 * only when its answer is written.
 */
final class GenerationService {
  /** Thrown to make the HTTP server drop the connection without finishing the response. */
  static final class ConnectionDropped extends IOException {
    ConnectionDropped(String why) {
      super(why);
    }
  }

  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final ModelStore models;
  private final SlotGate gate;
  private final Faults faults;

  GenerationService(ModelStore models, SlotGate gate, Faults faults) {
    this.models = models;
    this.gate = gate;
    this.faults = faults;
  }

  /** Serves the exchange; whatever happens, the trace ends with a final outcome. */
  void serve(HttpExchange exchange, AnswerShape shape, RequestTrace trace) throws IOException {
    try {
      serveTraced(exchange, shape, trace);
    } catch (IOException e) {
      trace.finish(Outcome.CANCELLED, 0, null, 0, "client went away: " + e);
      throw e;
    } catch (RuntimeException e) {
      trace.finish(Outcome.ERROR, 500, null, 0, "simulator failure: " + e);
      throw e;
    }
  }

  private void serveTraced(HttpExchange exchange, AnswerShape shape, RequestTrace trace)
      throws IOException {
    ExchangeWriter out = new ExchangeWriter(exchange);
    try {
      JsonNode body = GenerationRequest.parseBody(GenerationRequest.readBody(exchange, MAX_BODY));
      GenerationRequest req = shape.parse(body);
      trace.describe(
          req.model(),
          req.stream(),
          req.system(),
          req.user(),
          req.options(),
          req.keepAlive(),
          req.loadOnly());
      ModelProfile profile =
          models.find(req.model()).orElseThrow(() -> ApiError.modelNotFound(req.model())).profile();
      int numCtx = profile.contextFor(req.options());
      Reply reply = new Reply(req.model(), trace.id(), Instant.now(), req.includeUsage());
      if (req.loadOnly()) {
        loadOnly(out, shape, req, profile, numCtx, reply, trace);
        return;
      }
      Faults.Settings fault = faults.settings();
      if (faults.nextRequestFails()) {
        throw new ApiError(
            fault.errorStatus(),
            fault.errorStatus() == 503 ? ApiError.BUSY : "simulated fault: injected error");
      }
      SlotGate.Slot slot;
      try {
        slot = gate.acquire(trace::queued);
      } catch (SlotGate.QueueFullException e) {
        sendError(out, shape, ApiError.busy(), trace, Outcome.REJECTED);
        return;
      }
      try (slot) {
        trace.started();
        faults.awaitHangLifted();
        ModelStore.Lease lease = models.acquire(profile, req.keepAlive(), numCtx);
        trace.loaded(lease);
        try {
          GenerationRequest.PromptSeen seen = req.fitTo(numCtx);
          trace.prompt(seen.tokens(), numCtx, seen.cutTokens());
          generate(out, shape, req, seen, profile, reply, lease, fault, trace);
        } finally {
          models.release(profile, req.keepAlive());
        }
      }
    } catch (InvalidRequestException e) {
      sendError(out, shape, ApiError.badRequest(e.getMessage()), trace, Outcome.ERROR);
    } catch (ApiError e) {
      sendError(out, shape, e, trace, Outcome.ERROR);
    } catch (InterruptedException e) {
      trace.finish(Outcome.CANCELLED, 0, null, 0, "simulator stopped");
      Thread.currentThread().interrupt();
      throw new ConnectionDropped("simulator stopped");
    }
  }

  private void loadOnly(
      ExchangeWriter out,
      AnswerShape shape,
      GenerationRequest req,
      ModelProfile profile,
      int numCtx,
      Reply reply,
      RequestTrace trace)
      throws IOException, InterruptedException {
    String reason;
    if (req.keepAlive() != null && req.keepAlive().isZero()) {
      models.unload(profile.name());
      reason = "unload";
    } else {
      ModelStore.Lease lease = models.acquire(profile, req.keepAlive(), numCtx);
      trace.loaded(lease);
      models.release(profile, req.keepAlive());
      reason = "load";
    }
    trace.finish(Outcome.DONE, 200, reason, 0, null);
    finalWrite(trace, () -> out.whole(200, "application/json", shape.loadOnly(reply, reason)));
  }

  private void generate(
      ExchangeWriter out,
      AnswerShape shape,
      GenerationRequest req,
      GenerationRequest.PromptSeen seen,
      ModelProfile profile,
      Reply reply,
      ModelStore.Lease lease,
      Faults.Settings fault,
      RequestTrace trace)
      throws IOException, InterruptedException {
    SimulatedAnswer answer =
        SimulatedAnswer.of(
            req.model(), seen.system(), seen.user(), req.options(), profile.answerLength());
    List<String> pieces = answer.pieces();
    int n = pieces.size();
    long promptStart = System.nanoTime();
    long firstDue = promptStart + profile.timeToFirstToken().toNanos();
    long interval = profile.tokenInterval().toNanos();
    long shift = 0;
    long firstToken = promptStart;
    boolean malformedWhole = false;
    try {
      // Position i < n is token i; position n is the final object.
      for (int i = 0; i <= n; i++) {
        if (i == fault.stallAfterTokens()) {
          shift += fault.stall().toNanos();
        }
        sleepUntil(firstDue + (long) Math.min(i, n - 1) * interval + shift);
        if (i == fault.disconnectAfterTokens()) {
          String why = "simulated disconnect after " + i + " tokens";
          trace.finish(Outcome.ERROR, out.started() ? 200 : 0, null, i, why);
          throw new ConnectionDropped(why);
        }
        if (i == fault.malformedAfterTokens()) {
          if (req.stream()) {
            out.stream(shape.streamContentType(), shape.malformed(reply));
            trace.status(200);
          } else {
            malformedWhole = true;
          }
        }
        if (i == n) {
          break;
        }
        if (i == 0) {
          firstToken = System.nanoTime();
          trace.firstToken();
        }
        if (req.stream() && !pieces.get(i).isEmpty()) {
          out.stream(shape.streamContentType(), shape.token(reply, pieces.get(i)));
          trace.status(200);
        }
      }
      long end = System.nanoTime();
      Result result =
          new Result(
              answer.text(),
              answer.doneReason(),
              end - trace.arrivalNanos(),
              lease.loadNanos(),
              seen.tokens(),
              firstToken - promptStart,
              n,
              end - firstToken);
      trace.finish(Outcome.DONE, 200, answer.doneReason(), n, null);
      if (req.stream()) {
        finalWrite(trace, () -> out.stream(shape.streamContentType(), shape.last(reply, result)));
        out.endStream();
      } else {
        byte[] whole = shape.whole(reply, result);
        byte[] sent = malformedWhole ? Arrays.copyOf(whole, whole.length / 2) : whole;
        finalWrite(trace, () -> out.whole(200, "application/json", sent));
      }
    } catch (ConnectionDropped e) {
      throw e;
    } catch (IOException e) {
      trace.finish(Outcome.CANCELLED, out.started() ? 200 : 0, null, 0, "client went away: " + e);
      throw e;
    }
  }

  /** An action that writes to the client. */
  interface Write {
    void run() throws IOException;
  }

  /** Writes the last bytes of a response already recorded as done; a failure makes it cancelled. */
  static void finalWrite(RequestTrace trace, Write write) throws IOException {
    try {
      write.run();
    } catch (IOException e) {
      trace.cancelAfterDone("client went away: " + e);
      throw e;
    }
  }

  private static void sendError(
      ExchangeWriter out, AnswerShape shape, ApiError error, RequestTrace trace, Outcome outcome)
      throws IOException {
    trace.finish(outcome, error.status(), null, 0, error.getMessage());
    if (out.started()) {
      throw new ConnectionDropped("error after the response began: " + error.getMessage());
    }
    out.whole(error.status(), "application/json", shape.error(error));
  }

  /** Paces tokens on the model's schedule; a plain timed wait, not a polling loop. */
  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
