package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.JsonFields.int32;
import static dev.gollm.devstack.ollama.JsonFields.integer;
import static dev.gollm.devstack.ollama.JsonFields.number;
import static dev.gollm.devstack.ollama.JsonFields.strings;

import dev.gollm.devstack.http.HttpIo;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sampling options of one generation request, as Ollama's {@code options} object carries them.
 * A null component means "not given". Only {@code seed}, {@code temperature}, {@code top_p}, {@code
 * top_k} and {@code repeat_penalty} change the simulated answer's text; {@code num_predict} and
 * {@code stop} bound its length; {@code num_ctx} is only recorded.
 */
public record GenerationOptions(
    Long seed,
    Double temperature,
    Double topP,
    Integer topK,
    Double repeatPenalty,
    Integer numPredict,
    List<String> stop,
    Integer numCtx) {

  /** No option given. */
  public static final GenerationOptions NONE =
      new GenerationOptions(null, null, null, null, null, null, List.of(), null);

  public GenerationOptions {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public GenerationOptions withSeed(Long value) {
    return new GenerationOptions(
        value, temperature, topP, topK, repeatPenalty, numPredict, stop, numCtx);
  }

  public GenerationOptions withTemperature(Double value) {
    return new GenerationOptions(seed, value, topP, topK, repeatPenalty, numPredict, stop, numCtx);
  }

  public GenerationOptions withTopP(Double value) {
    return new GenerationOptions(
        seed, temperature, value, topK, repeatPenalty, numPredict, stop, numCtx);
  }

  public GenerationOptions withTopK(Integer value) {
    return new GenerationOptions(
        seed, temperature, topP, value, repeatPenalty, numPredict, stop, numCtx);
  }

  public GenerationOptions withRepeatPenalty(Double value) {
    return new GenerationOptions(seed, temperature, topP, topK, value, numPredict, stop, numCtx);
  }

  public GenerationOptions withNumPredict(Integer value) {
    return new GenerationOptions(seed, temperature, topP, topK, repeatPenalty, value, stop, numCtx);
  }

  public GenerationOptions withStop(List<String> value) {
    return new GenerationOptions(
        seed, temperature, topP, topK, repeatPenalty, numPredict, value, numCtx);
  }

  public GenerationOptions withNumCtx(Integer value) {
    return new GenerationOptions(
        seed, temperature, topP, topK, repeatPenalty, numPredict, stop, value);
  }

  /**
   * Reads an Ollama {@code options} map as a client would send it (keys {@code seed}, {@code
   * temperature}, {@code top_p}, {@code top_k}, {@code repeat_penalty}, {@code num_predict}, {@code
   * stop}, {@code num_ctx}; other keys are ignored, as Ollama ignores them).
   *
   * @throws InvalidRequestException when a value has the wrong type
   */
  public static GenerationOptions of(Map<String, ?> options) {
    return fromJson(HttpIo.JSON.valueToTree(options), "options");
  }

  /** Reads an {@code options} JSON object; {@code path} prefixes error messages. */
  static GenerationOptions fromJson(JsonNode options, String path) {
    if (JsonFields.absent(options)) {
      return NONE;
    }
    if (!options.isObject()) {
      throw JsonFields.wrongType(path, "an object", options);
    }
    return new GenerationOptions(
        integer(options, "seed", path + ".seed"),
        number(options, "temperature", path + ".temperature"),
        number(options, "top_p", path + ".top_p"),
        int32(options, "top_k", path + ".top_k"),
        number(options, "repeat_penalty", path + ".repeat_penalty"),
        int32(options, "num_predict", path + ".num_predict"),
        strings(options, "stop", path + ".stop"),
        int32(options, "num_ctx", path + ".num_ctx"));
  }

  /**
   * The part of the options that shapes the answer's text, in a fixed form: {@code
   * seed=42;temperature=0.3;top_p=-;top_k=-;repeat_penalty=-}. Numbers are written without trailing
   * zeros (so 1 and 1.0 are the same), "-" stands for "not given".
   */
  public String canonical() {
    return "seed="
        + (seed == null ? "-" : seed.toString())
        + ";temperature="
        + decimal(temperature)
        + ";top_p="
        + decimal(topP)
        + ";top_k="
        + (topK == null ? "-" : topK.toString())
        + ";repeat_penalty="
        + decimal(repeatPenalty);
  }

  /** The options as Ollama's {@code options} JSON object, given keys only. */
  public ObjectNode toJson() {
    ObjectNode o = HttpIo.JSON.createObjectNode();
    if (seed != null) {
      o.put("seed", seed);
    }
    if (temperature != null) {
      o.put("temperature", temperature);
    }
    if (topP != null) {
      o.put("top_p", topP);
    }
    if (topK != null) {
      o.put("top_k", topK);
    }
    if (repeatPenalty != null) {
      o.put("repeat_penalty", repeatPenalty);
    }
    if (numPredict != null) {
      o.put("num_predict", numPredict);
    }
    if (!stop.isEmpty()) {
      stop.forEach(o.putArray("stop")::add);
    }
    if (numCtx != null) {
      o.put("num_ctx", numCtx);
    }
    return o;
  }

  private static String decimal(Double d) {
    if (d == null) {
      return "-";
    }
    if (d.isNaN() || d.isInfinite()) {
      return d.toString();
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
