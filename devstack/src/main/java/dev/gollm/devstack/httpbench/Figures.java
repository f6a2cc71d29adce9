package dev.gollm.devstack.httpbench;

import java.util.ArrayList;
import java.util.List;

/** Every figure a client's run reports, in the order of the table, with its key and label. */
final class Figures {
  /**
   * One figure.
   *
   * @param key its name in the child's output and the JSON, e.g. {@code claim_seq.p50_ms}
   * @param label its row in the table
   * @param decimals the digits shown after the point
   */
  record Spec(String key, String label, int decimals) {}

  /** A measured phase: one kind of request, sequential or from several loops at once. */
  enum Phase {
    CLAIM_SEQUENTIAL("claim_seq", "claim, sequential"),
    CLAIM_CONCURRENT("claim_conc", "claim, concurrent"),
    CHAT_SEQUENTIAL("chat_seq", "chat, sequential"),
    CHAT_CONCURRENT("chat_conc", "chat, concurrent");

    private final String key;
    private final String label;

    Phase(String key, String label) {
      this.key = key;
      this.label = label;
    }

    String key(String statistic) {
      return key + "." + statistic;
    }
  }

  static final String START_TO_FIRST_ANSWER = "cold.start_to_first_answer_ms";
  static final String CLIENT_BUILD = "cold.client_build_ms";
  static final String FIRST_CLAIM = "cold.first_claim_ms";
  static final String FIRST_CHAT = "cold.first_chat_ms";
  static final String P50 = "p50_ms";
  static final String P99 = "p99_ms";
  static final String MAX = "max_ms";
  static final String CPU_PER_REQUEST = "cpu_ms_per_request";
  static final String THROUGHPUT = "requests_per_s";
  static final String IDLE_CPU = "idle.cpu_ms";
  static final String IDLE_WAKE_UPS = "idle.wake_ups";
  static final String PEAK_RSS = "end.peak_rss_mib";
  static final String CLASSES = "end.classes_loaded";
  static final String THREADS = "end.threads";

  static final List<Spec> ALL = all();

  private Figures() {}

  private static List<Spec> all() {
    List<Spec> specs = new ArrayList<>();
    specs.add(new Spec(START_TO_FIRST_ANSWER, "cold: JVM spawn → first claim answered, ms", 0));
    specs.add(new Spec(CLIENT_BUILD, "cold: building the client, ms", 1));
    specs.add(new Spec(FIRST_CLAIM, "cold: first claim, ms", 1));
    specs.add(new Spec(FIRST_CHAT, "cold: first chat, ms", 1));
    for (Phase p : Phase.values()) {
      specs.add(new Spec(p.key(P50), p.label + ": p50 ms", 3));
      specs.add(new Spec(p.key(P99), p.label + ": p99 ms", 3));
      specs.add(new Spec(p.key(MAX), p.label + ": max ms", 2));
      specs.add(new Spec(p.key(CPU_PER_REQUEST), p.label + ": CPU ms per request", 3));
      specs.add(new Spec(p.key(THROUGHPUT), p.label + ": requests/s", 0));
    }
    specs.add(new Spec(IDLE_CPU, "idle: CPU ms", 0));
    specs.add(new Spec(IDLE_WAKE_UPS, "idle: wake-ups (context switches)", 0));
    specs.add(new Spec(PEAK_RSS, "end: peak RSS, MiB", 1));
    specs.add(new Spec(CLASSES, "end: classes loaded", 0));
    specs.add(new Spec(THREADS, "end: threads", 0));
    return List.copyOf(specs);
  }
}
