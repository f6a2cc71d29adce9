package dev.gollm.devstack.httpbench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one child JVM measures, passed on its command line as {@code key=value} arguments.
 *
 * @param client the client under test
 * @param manager the manager's base URL
 * @param apiKey the manager's INTERNAL_API_KEY
 * @param ollama the simulator's base URL
 * @param model the model the chats ask for
 * @param requests measured requests per phase (sequential, and again spread over the loops)
 * @param warmup unmeasured requests per kind before the measured phases
 * @param concurrency loops of the concurrent phases
 * @param idle how long the idle phase watches the process, zero for none
 * @param spawnedAtMicros the wall clock just before the JVM was spawned, µs since the epoch
 */
record RunSettings(
    ClientKind client,
    URI manager,
    String apiKey,
    URI ollama,
    String model,
    int requests,
    int warmup,
    int concurrency,
    Duration idle,
    long spawnedAtMicros) {

  private static final Set<String> KEYS =
      Set.of(
          "client",
          "manager",
          "api-key",
          "ollama",
          "model",
          "requests",
          "warmup",
          "concurrency",
          "idle-ms",
          "spawned-at-us");

  RunSettings {
    if (requests < 1) {
      throw new IllegalArgumentException("requests " + requests + " must be at least 1");
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup " + warmup + " must not be negative");
    }
    if (concurrency < 1 || concurrency > requests) {
      throw new IllegalArgumentException(
          "concurrency " + concurrency + " must be within 1.." + requests + " (the requests)");
    }
    if (idle.isNegative()) {
      throw new IllegalArgumentException("idle " + idle + " must not be negative");
    }
  }

  /** The command-line arguments that {@link #parse} turns back into these settings. */
  List<String> toArguments() {
    List<String> args = new ArrayList<>();
    args.add("client=" + client.id());
    args.add("manager=" + manager);
    args.add("api-key=" + apiKey);
    args.add("ollama=" + ollama);
    args.add("model=" + model);
    args.add("requests=" + requests);
    args.add("warmup=" + warmup);
    args.add("concurrency=" + concurrency);
    args.add("idle-ms=" + idle.toMillis());
    args.add("spawned-at-us=" + spawnedAtMicros);
    return args;
  }

  /**
   * Reads the arguments {@link #toArguments} wrote.
   *
   * @throws IllegalArgumentException naming the argument that is malformed, unknown or missing
   */
  static RunSettings parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
      }
      String key = arg.substring(0, eq);
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown argument '" + key + "'; expected " + KEYS);
      }
      values.put(key, arg.substring(eq + 1));
    }
    return new RunSettings(
        ClientKind.byId(required(values, "client")),
        URI.create(required(values, "manager")),
        required(values, "api-key"),
        URI.create(required(values, "ollama")),
        required(values, "model"),
        Math.toIntExact(number(values, "requests")),
        Math.toIntExact(number(values, "warmup")),
        Math.toIntExact(number(values, "concurrency")),
        Duration.ofMillis(number(values, "idle-ms")),
        number(values, "spawned-at-us"));
  }

  private static String required(Map<String, String> values, String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("argument '" + key + "' is missing");
    }
    return v;
  }

  private static long number(Map<String, String> values, String key) {
    String v = required(values, key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("argument '" + key + "' is '" + v + "', not a number");
    }
  }
}
