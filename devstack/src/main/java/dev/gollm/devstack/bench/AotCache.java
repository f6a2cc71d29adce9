package dev.gollm.devstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The processor's ahead-of-time cache (JDK 25, JEP 483/514/515): {@code processor.aot} beside the
 * jar, with {@code processor.aot.java}, the lines of the training JVM's {@code release} file that
 * name its build. A cache only fits the JVM build that wrote it and the jar it was trained with, so
 * it is used under the same rule as {@code bin/processor}: the runtime is Java 25 or newer, its
 * {@code release} file holds those lines, and the jar is not newer than the cache.
 */
final class AotCache {
  /** The cache file, beside the jar. */
  static final String FILE = "processor.aot";

  /** The training JVM's identity, beside the cache. */
  static final String STAMP = FILE + ".java";

  /** The first Java that reads an AOT cache written by {@code -XX:AOTCacheOutput}. */
  static final int FIRST_JAVA = 25;

  /** The {@code release} keys that identify a JVM build. */
  private static final List<String> IDENTITY = List.of("IMPLEMENTOR=", "JAVA_RUNTIME_VERSION=");

  private AotCache() {}

  /** The cache beside {@code jar}, whether or not it exists. */
  static Path beside(Path jar) {
    return jar.resolveSibling(FILE);
  }

  /**
   * The cache for {@code jar} when the Java at {@code javaHome} (of feature version {@code
   * feature}) can use it; empty otherwise.
   */
  static Optional<Path> usable(Path jar, Path javaHome, int feature) {
    Path cache = beside(jar);
    Path stamp = jar.resolveSibling(STAMP);
    try {
      if (feature < FIRST_JAVA
          || !Files.isRegularFile(cache)
          || !Files.isRegularFile(stamp)
          || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(cache)) > 0) {
        return Optional.empty();
      }
      List<String> release = Files.readAllLines(javaHome.resolve("release"));
      List<String> trained = Files.readAllLines(stamp, StandardCharsets.UTF_8);
      return !trained.isEmpty() && release.containsAll(trained)
          ? Optional.of(cache)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes the stamp beside the cache: the identity lines of the JVM at {@code javaHome}. */
  static void stamp(Path jar, Path javaHome) {
    try {
      List<String> identity =
          Files.readAllLines(javaHome.resolve("release")).stream()
              .filter(line -> IDENTITY.stream().anyMatch(line::startsWith))
              .toList();
      Files.write(jar.resolveSibling(STAMP), identity, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jar.resolveSibling(STAMP), e);
    }
  }
}
