package dev.gollm.devstack.httpbench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The HTTP clients compared, by the name the command line and the results use. */
enum ClientKind {
  JDK("jdk", "JDK HttpClient", JdkClient::new),
  APACHE("apache", "Apache HttpClient 5 classic", ApacheClient::new),
  HELIDON("helidon", "Helidon WebClient 4", HelidonClient::new);

  private final String id;
  private final String label;
  private final Function<Timeouts, BenchClient> factory;

  ClientKind(String id, String label, Function<Timeouts, BenchClient> factory) {
    this.id = id;
    this.label = label;
    this.factory = factory;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  BenchClient open(Timeouts timeouts) {
    return factory.apply(timeouts);
  }

  /**
   * The client called {@code id}.
   *
   * @throws IllegalArgumentException naming the known ones when there is none
   */
  static ClientKind byId(String id) {
    for (ClientKind k : values()) {
      if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown HTTP client '"
            + id
            + "'; expected one of "
            + Arrays.stream(values()).map(ClientKind::id).collect(Collectors.joining(", ")));
  }
}
