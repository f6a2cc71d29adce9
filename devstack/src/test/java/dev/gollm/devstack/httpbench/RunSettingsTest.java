package dev.gollm.devstack.httpbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  private static final RunSettings SETTINGS =
      new RunSettings(
          ClientKind.APACHE,
          URI.create("http://127.0.0.1:8080"),
          "secret",
          URI.create("http://127.0.0.1:11434"),
          "http-bench:1b",
          2000,
          500,
          4,
          Duration.ofSeconds(30),
          1_790_000_000_000_000L);

  @Test
  void theArgumentsReadBackAsTheSameSettings() {
    assertThat(RunSettings.parse(SETTINGS.toArguments().toArray(String[]::new)))
        .isEqualTo(SETTINGS);
  }

  @Test
  void anUnknownArgumentIsNamed() {
    List<String> args = new ArrayList<>(SETTINGS.toArguments());
    args.add("retries=3");

    assertThatThrownBy(() -> RunSettings.parse(args.toArray(String[]::new)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown argument 'retries'");
  }

  @Test
  void aMissingArgumentIsNamed() {
    List<String> args = new ArrayList<>(SETTINGS.toArguments());
    args.removeIf(a -> a.startsWith("model="));

    assertThatThrownBy(() -> RunSettings.parse(args.toArray(String[]::new)))
        .hasMessage("argument 'model' is missing");
  }

  @Test
  void aNumberThatIsNoneIsNamedWithItsValue() {
    List<String> args = new ArrayList<>(SETTINGS.toArguments());
    args.replaceAll(a -> a.startsWith("requests=") ? "requests=many" : a);

    assertThatThrownBy(() -> RunSettings.parse(args.toArray(String[]::new)))
        .hasMessage("argument 'requests' is 'many', not a number");
  }

  @Test
  void moreLoopsThanRequestsAreRejected() {
    assertThatThrownBy(
            () ->
                new RunSettings(
                    ClientKind.JDK,
                    SETTINGS.manager(),
                    "k",
                    SETTINGS.ollama(),
                    "m",
                    3,
                    0,
                    4,
                    Duration.ZERO,
                    0))
        .hasMessage("concurrency 4 must be within 1..3 (the requests)");
  }

  @Test
  void anUnknownClientListsTheKnownOnes() {
    assertThatThrownBy(() -> ClientKind.byId("okhttp"))
        .hasMessage("unknown HTTP client 'okhttp'; expected one of jdk, apache, helidon");
  }
}
