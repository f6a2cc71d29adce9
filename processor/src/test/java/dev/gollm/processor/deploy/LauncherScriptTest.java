package dev.gollm.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/processor as scripts/install-processor installs it (the layout of the systemd unit and the
 * Docker image): it finds a Java 21 or newer, or stops with its own exit status and a message that
 * names what it found; it starts java with the flags of processor.jvmopts, the AOT cache where it
 * fits, then PROCESSOR_JAVA_OPTS. The jar is a stand-in that prints the JVM flags it got, since the
 * real one is packaged after the tests run.
 */
class LauncherScriptTest {
  private static final String UNIT = "deploy/systemd/go-llm-processor.service";

  @TempDir Path dir;
  private Path installed;
  private Path java17;

  @BeforeEach
  void installWithAStandInJarAndAFakeJava17() throws Exception {
    Path checkout = dir.resolve("checkout");
    copy("bin/processor", checkout);
    copy("scripts/find-jdk", checkout);
    copy("scripts/install-processor", checkout);
    Path target = Files.createDirectories(checkout.resolve("processor/target"));
    Files.copy(
        Path.of("target", ProcessorProcess.JVM_OPTIONS_FILE),
        target.resolve(ProcessorProcess.JVM_OPTIONS_FILE));
    writeStandInJar(target.resolve("processor.jar"));

    installed = dir.resolve("opt/go-llm-processor");
    Command install =
        run(
            List.of(checkout.resolve("scripts/install-processor").toString(), installed.toString()),
            Map.of());
    assertThat(install.status()).as(install.stderr()).isZero();

    // What Debian 12 has as its default java: a Java 17 home, also the java on PATH.
    java17 = dir.resolve("jvm/java-17-openjdk-amd64");
    Files.createDirectories(java17.resolve("bin"));
    Files.writeString(java17.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
    Path java = java17.resolve("bin/java");
    Files.writeString(
        java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\nexit 1\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("path"));
    Files.createSymbolicLink(dir.resolve("path/java"), java);
  }

  @Test
  void withOnlyJava17TheLauncherExitsWithItsOwnStatusAndNamesTheJavaItFound() throws Exception {
    Command launch =
        launch(Map.of("JAVA_HOME", java17.toString(), "FIND_JDK_IN", dir.resolve("jvm") + "/*"));

    assertThat(launch.status()).isEqualTo(noJavaStatus());
    assertThat(launch.stderr())
        .contains("error: no Java 21 or newer found; the processor needs Java 21 or newer.")
        .contains("Java 17 at " + java17 + " (JAVA_HOME)")
        .contains("not started (exit status " + noJavaStatus() + ")")
        .doesNotContain("UnsupportedClassVersionError");
    assertThat(launch.stdout()).isEmpty();
  }

  @Test
  void aJava17JavaHomeIsPassedOverForANewerJavaInTheSearchedDirectories() throws Exception {
    String jdk = System.getProperty("java.home");

    Command launch = launch(Map.of("JAVA_HOME", java17.toString(), "FIND_JDK_IN", jdk));

    assertThat(launch.status()).as(launch.stderr()).isZero();
    assertThat(launch.stdout()).endsWith("--\nrun\n");
  }

  @Test
  void javaGetsTheFlagsOfTheOptionsFileThenThoseOfProcessorJavaOpts() throws Exception {
    Command launch =
        launch(
            Map.of(
                "JAVA_HOME",
                System.getProperty("java.home"),
                "PROCESSOR_JAVA_OPTS",
                "-Xmx300m -Dextra=1"));

    assertThat(launch.status()).as(launch.stderr()).isZero();
    List<String> expected =
        new ArrayList<>(
            ProcessorProcess.jvmFlags(
                installed.resolve("lib/" + ProcessorProcess.JVM_OPTIONS_FILE)));
    expected.addAll(List.of("-Xmx300m", "-Dextra=1", "--", "run"));
    assertThat(expected).contains("-XX:TieredStopAtLevel=1", "-Xss512k");
    assertThat(launch.stdout().lines().toList()).isEqualTo(expected);
  }

  @Test
  void theAotCacheIsPassedWhenItWasTrainedOnTheJavaBuildThatRuns() throws Exception {
    Path cache = installAotCache(javaBuild(Path.of(System.getProperty("java.home"))));

    Command launch = launch(Map.of("JAVA_HOME", System.getProperty("java.home")));

    assertThat(launch.status()).as(launch.stderr()).isZero();
    assertThat(launch.stdout().lines()).contains("-XX:AOTCache=" + cache);
  }

  @Test
  void theAotCacheIsLeftOutForAnotherJavaBuild() throws Exception {
    installAotCache(
        List.of("IMPLEMENTOR=\"Eclipse Adoptium\"", "JAVA_RUNTIME_VERSION=\"21.0.7+6\""));

    Command launch = launch(Map.of("JAVA_HOME", System.getProperty("java.home")));

    assertThat(launch.status()).as(launch.stderr()).isZero();
    assertThat(launch.stdout()).doesNotContain("AOTCache");
  }

  @Test
  void theAotCacheIsLeftOutWhenTheJarIsNewer() throws Exception {
    Path cache = installAotCache(javaBuild(Path.of(System.getProperty("java.home"))));
    Path jar = installed.resolve("lib/processor.jar");
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() + 60_000));

    Command launch = launch(Map.of("JAVA_HOME", System.getProperty("java.home")));

    assertThat(launch.status()).as(launch.stderr()).isZero();
    assertThat(launch.stdout()).doesNotContain("AOTCache");
  }

  @Test
  void systemdDoesNotRestartTheUnitAfterAConfigurationErrorOrWithoutJava() throws Exception {
    String unit = Files.readString(RepositoryFiles.file(UNIT));

    assertThat(unit).contains("ExecStart=/opt/go-llm-processor/bin/processor run\n");
    Matcher prevent = Pattern.compile("(?m)^RestartPreventExitStatus=(.*)$").matcher(unit);
    assertThat(prevent.find()).as("RestartPreventExitStatus= in %s", UNIT).isTrue();
    assertThat(prevent.group(1).split(" "))
        .contains(String.valueOf(Main.EXIT_BAD_CONFIG), String.valueOf(noJavaStatus()));
  }

  @Test
  void systemdAnalyzeVerifiesTheUnitWithTheInstalledLauncher() throws Exception {
    Path analyze = Command.onPath("systemd-analyze").orElse(null);
    Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed");
    // The unit as installed, pointing at this test's installation instead of /opt.
    Path unit = dir.resolve("go-llm-processor.service");
    Files.writeString(
        unit,
        Files.readString(RepositoryFiles.file(UNIT))
            .replace("/opt/go-llm-processor", installed.toString()));

    Command verify =
        run(
            List.of(analyze.toString(), "verify", unit.toString()),
            Map.of("PATH", "/usr/bin:/bin"));

    assertThat(verify.status()).as(verify.stderr()).isZero();
    assertThat(verify.stderr()).isEmpty();
  }

  /**
   * A stand-in cache (the JVM reports it unreadable and starts without it) and its stamp, as
   * scripts/train-aot writes them, the jar older than both.
   */
  private Path installAotCache(List<String> javaBuild) throws IOException {
    Path cache = installed.resolve("lib/processor.aot");
    Files.writeString(cache, "not a real cache");
    Files.write(installed.resolve("lib/processor.aot.java"), javaBuild);
    Files.setLastModifiedTime(
        installed.resolve("lib/processor.jar"),
        FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() - 60_000));
    return cache;
  }

  /** The lines of a Java's release file that name its build. */
  private static List<String> javaBuild(Path javaHome) throws IOException {
    return Files.readAllLines(javaHome.resolve("release")).stream()
        .filter(l -> l.startsWith("IMPLEMENTOR=") || l.startsWith("JAVA_RUNTIME_VERSION="))
        .toList();
  }

  private Command launch(Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("PATH", dir.resolve("path") + ":/usr/bin:/bin");
    all.putIfAbsent("FIND_JDK_IN", dir.resolve("nowhere").toString());
    return run(List.of(installed.resolve("bin/processor").toString(), "run"), all);
  }

  /** The launcher's exit status for "no Java 21 or newer", as bin/processor defines it. */
  private static int noJavaStatus() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^exit_no_java=(\\d+)$")
            .matcher(Files.readString(RepositoryFiles.file("bin/processor")));
    assertThat(m.find()).as("exit_no_java= in bin/processor").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private Command run(List<String> command, Map<String, String> env) throws Exception {
    return Command.run(command, env, dir, 60);
  }

  private static void copy(String relative, Path checkout) throws IOException {
    Path to = checkout.resolve(relative);
    Files.createDirectories(to.getParent());
    Files.copy(RepositoryFiles.file(relative), to, StandardCopyOption.COPY_ATTRIBUTES);
  }

  private static void writeStandInJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintJvmArguments.class.getName());
    String entry = PrintJvmArguments.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = PrintJvmArguments.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
  }
}
