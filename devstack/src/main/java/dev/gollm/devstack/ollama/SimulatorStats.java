package dev.gollm.devstack.ollama;

import dev.gollm.devstack.http.HttpIo;
import tools.jackson.databind.node.ObjectNode;

/**
 * Summary counts since start or the last reset.
 *
 * @param requests generation requests received (chat, generate, OpenAI chat)
 * @param pulls pull requests received
 * @param done generation requests answered completely
 * @param cancelled generation requests whose client went away
 * @param errors generation requests answered with an error other than queue-full
 * @param rejected generation requests refused with 503 because the queue was full
 * @param active requests holding a slot now
 * @param queued requests waiting for a slot now
 * @param peakConcurrency most slots held at once
 * @param queuePeak most requests waiting at once
 */
public record SimulatorStats(
    long requests,
    long pulls,
    long done,
    long cancelled,
    long errors,
    long rejected,
    int active,
    int queued,
    int peakConcurrency,
    int queuePeak) {

  /** The stats as served by {@code GET /_sim/stats}. */
  public ObjectNode toJson() {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    o.put("requests", requests);
    o.put("pulls", pulls);
    o.put("done", done);
    o.put("cancelled", cancelled);
    o.put("errors", errors);
    o.put("rejected", rejected);
    o.put("active", active);
    o.put("queued", queued);
    o.put("peak_concurrency", peakConcurrency);
    o.put("queue_peak", queuePeak);
    return o;
  }
}
