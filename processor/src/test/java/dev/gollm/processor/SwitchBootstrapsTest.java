package dev.gollm.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's code keeps out of {@code java.lang.runtime.SwitchBootstraps}: a switch with type
 * patterns or {@code case null} links through it, and the first run of each such switch generates a
 * class, which the AOT cache cannot keep (Java 25). Over a cold start that was about a tenth of a
 * CPU-second (docs/benchmarks.md). {@code config --markdown}, which only prints documentation, may.
 */
class SwitchBootstrapsTest {
  private static final byte[] BOOTSTRAPS =
      "java/lang/runtime/SwitchBootstraps".getBytes(StandardCharsets.UTF_8);

  @Test
  void noClassThatRunsInAProcessorBootstrapsASwitch() throws URISyntaxException, IOException {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders;
    try (Stream<Path> files = Files.walk(classes)) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".class"))
              .filter(f -> !f.getFileName().toString().startsWith("ConfigReference"))
              .filter(SwitchBootstrapsTest::linksSwitchBootstraps)
              .map(f -> classes.relativize(f).toString())
              .toList();
    }

    assertThat(offenders).as("classes whose switches link through SwitchBootstraps").isEmpty();
  }

  private static boolean linksSwitchBootstraps(Path classFile) {
    try {
      byte[] bytes = Files.readAllBytes(classFile);
      for (int i = 0; i + BOOTSTRAPS.length <= bytes.length; i++) {
        if (java.util.Arrays.equals(
            bytes, i, i + BOOTSTRAPS.length, BOOTSTRAPS, 0, BOOTSTRAPS.length)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
