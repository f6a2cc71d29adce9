package dev.gollm.devstack.ollama;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.devstack.http.HttpIo;
import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /api/pull: progress lines like Ollama's ("pulling manifest", per-layer progress, "verifying
 * sha256 digest", "writing manifest", "success"), ten lines, one every pull step, so a pull takes
 * ten pull steps. The model is installed just before "success". A name the registry does not offer
 * fails after "pulling manifest", as Ollama's does; failures after progress began arrive as an
 * {@code {"error":...}} line with status 200, and as status 500 when the pull is not streamed.
 */
final class PullService {
  /** Ollama's message for a name the registry does not have. */
  static final String UNKNOWN_MODEL = "pull model manifest: file does not exist";

  /** The message of an injected transient pull failure: a network error, as Ollama words it. */
  static final String TRANSIENT_FAILURE =
      "max retries exceeded: read tcp 10.0.0.2:53422->104.21.75.227:443: read: connection reset"
          + " by peer";

  private static final long TEMPLATE_LAYER = 358;
  private static final long PARAMS_LAYER = 492;

  private final ModelStore models;
  private final Faults faults;
  private final Duration step;

  PullService(ModelStore models, Faults faults, Duration step) {
    this.models = models;
    this.faults = faults;
    this.step = step;
  }

  /** Serves the exchange; whatever happens, the trace ends with a final outcome. */
  void serve(HttpExchange exchange, RequestTrace trace) throws IOException {
    try {
      serveTraced(exchange, trace);
    } catch (IOException e) {
      trace.finish(Outcome.CANCELLED, 0, null, 0, "client went away: " + e);
      throw e;
    } catch (RuntimeException e) {
      trace.finish(Outcome.ERROR, 500, null, 0, "simulator failure: " + e);
      throw e;
    }
  }

  private void serveTraced(HttpExchange exchange, RequestTrace trace) throws IOException {
    ExchangeWriter out = new ExchangeWriter(exchange);
    String name;
    boolean stream;
    try {
      JsonNode body = GenerationRequest.parseBody(GenerationRequest.readBody(exchange, 1 << 20));
      String model = JsonFields.string(body, "model", "model");
      name =
          model != null && !model.isBlank() ? model : GenerationRequest.requireModel(body, "name");
      Boolean s = JsonFields.bool(body, "stream", "stream");
      stream = s == null || s;
    } catch (InvalidRequestException e) {
      trace.finish(Outcome.ERROR, 400, null, 0, e.getMessage());
      out.whole(400, "application/json", errorBody(e.getMessage()));
      return;
    }
    trace.describe(name, stream, null, null, GenerationOptions.NONE, null, false);
    Faults.Settings fault = faults.settings();
    Duration pause = fault.pullStep().isZero() ? step : fault.pullStep();
    Optional<ModelProfile> profile = models.pullable(name);
    PullFailure failure = profile.isPresent() ? faults.nextPullFailure() : PullFailure.NONE;
    ObjectNode last = null;
    try {
      for (ObjectNode line : progress(profile, failure)) {
        TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        boolean success = "success".equals(line.path("status").asString(""));
        if (success) {
          models.install(profile.orElseThrow());
        }
        if (line.has("error") && failure == PullFailure.CUT) {
          String why = "simulated cut of the pull stream";
          trace.finish(Outcome.ERROR, out.started() ? 200 : 0, null, 0, why);
          throw new GenerationService.ConnectionDropped(why);
        }
        if (line.has("error")) {
          String message = line.get("error").asString();
          trace.finish(Outcome.ERROR, stream ? 200 : 500, null, 0, message);
          if (stream) {
            out.stream("application/x-ndjson", bytes(line));
            out.endStream();
          } else {
            out.whole(500, "application/json", errorBody(message));
          }
          return;
        }
        if (success) {
          trace.finish(Outcome.DONE, 200, "success", 0, null);
        }
        if (stream && success) {
          GenerationService.finalWrite(
              trace, () -> out.stream("application/x-ndjson", bytes(line)));
        } else if (stream) {
          out.stream("application/x-ndjson", bytes(line));
        }
        last = line;
      }
      if (stream) {
        out.endStream();
      } else {
        byte[] whole = bytes(last);
        GenerationService.finalWrite(trace, () -> out.whole(200, "application/json", whole));
      }
    } catch (IOException e) {
      trace.finish(Outcome.CANCELLED, out.started() ? 200 : 0, null, 0, "client went away: " + e);
      throw e;
    } catch (InterruptedException e) {
      trace.finish(Outcome.CANCELLED, 0, null, 0, "simulator stopped");
      Thread.currentThread().interrupt();
      throw new GenerationService.ConnectionDropped("simulator stopped");
    }
  }

  /**
   * The progress lines of one pull, ending in success or an error line (where a {@link
   * PullFailure#CUT} drops the connection instead).
   */
  private static List<ObjectNode> progress(Optional<ModelProfile> profile, PullFailure failure) {
    List<ObjectNode> lines = new ArrayList<>();
    lines.add(status("pulling manifest"));
    if (profile.isEmpty() || failure == PullFailure.FINAL) {
      lines.add(error(UNKNOWN_MODEL));
      return lines;
    }
    ModelProfile p = profile.get();
    long weights = p.sizeBytes() - TEMPLATE_LAYER - PARAMS_LAYER;
    lines.add(layer(p, 0, weights, 0));
    lines.add(layer(p, 0, weights, weights / 3400));
    lines.add(layer(p, 0, weights, weights / 2));
    if (failure == PullFailure.TRANSIENT || failure == PullFailure.CUT) {
      lines.add(error(TRANSIENT_FAILURE));
      return lines;
    }
    lines.add(layer(p, 0, weights, weights));
    lines.add(layer(p, 1, TEMPLATE_LAYER, TEMPLATE_LAYER));
    lines.add(layer(p, 2, PARAMS_LAYER, PARAMS_LAYER));
    lines.add(status("verifying sha256 digest"));
    lines.add(status("writing manifest"));
    lines.add(status("success"));
    return lines;
  }

  private static ObjectNode status(String status) {
    return HttpIo.JSON.createObjectNode().put("status", status);
  }

  private static ObjectNode error(String message) {
    return HttpIo.JSON.createObjectNode().put("error", message);
  }

  private static ObjectNode layer(ModelProfile p, int layer, long total, long completed) {
    String digest = p.layerDigest(layer);
    ObjectNode o = status("pulling " + digest.substring(0, 12));
    o.put("digest", "sha256:" + digest);
    o.put("total", total);
    if (completed > 0) {
      o.put("completed", completed);
    }
    return o;
  }

  private static byte[] errorBody(String message) {
    return bytes(error(message));
  }

  private static byte[] bytes(ObjectNode o) {
    return (HttpIo.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
