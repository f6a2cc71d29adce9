package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {
  private static final List<String> TEMURIN_25 =
      List.of("IMPLEMENTOR=\"Eclipse Adoptium\"", "JAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"");

  @TempDir Path dir;
  private Path jar;
  private Path javaHome;

  @BeforeEach
  void aJarAndAJava25() throws Exception {
    jar = Files.writeString(dir.resolve("processor.jar"), "jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    javaHome = Files.createDirectories(dir.resolve("jdk"));
    Files.write(
        javaHome.resolve("release"),
        List.of("JAVA_VERSION=\"25.0.3\"", TEMURIN_25.get(0), TEMURIN_25.get(1)));
  }

  @Test
  void theCacheIsUsedOnTheJavaBuildThatWroteIt() throws Exception {
    AotCache.stamp(jar, javaHome);
    Files.writeString(AotCache.beside(jar), "cache");

    assertThat(Files.readAllLines(jar.resolveSibling(AotCache.STAMP))).isEqualTo(TEMURIN_25);
    assertThat(AotCache.usable(jar, javaHome, 25)).contains(AotCache.beside(jar));
  }

  @Test
  void theCacheIsNotUsedOnAnotherBuildAnOlderJavaOrWithANewerJar() throws Exception {
    AotCache.stamp(jar, javaHome);
    Files.writeString(AotCache.beside(jar), "cache");
    Path otherJava = Files.createDirectories(dir.resolve("other"));
    Files.write(otherJava.resolve("release"), List.of("JAVA_RUNTIME_VERSION=\"25.0.1+8-LTS\""));

    assertThat(AotCache.usable(jar, otherJava, 25)).isEmpty();
    assertThat(AotCache.usable(jar, javaHome, 21)).isEmpty();
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(AotCache.beside(jar)).toMillis() + 1));
    assertThat(AotCache.usable(jar, javaHome, 25)).isEmpty();
  }

  @Test
  void withoutACacheNothingIsUsed() {
    assertThat(AotCache.usable(jar, javaHome, 25)).isEmpty();
  }
}
