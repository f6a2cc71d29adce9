package dev.gollm.devstack.dev;

import dev.gollm.devstack.process.ProcessorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the dev stack starts the processor's JVM: from the runnable jar for {@code devstack dev},
 * from a class path in tests that run before the jar is packaged.
 */
@FunctionalInterface
interface ProcessorLauncher {
  /**
   * Starts {@code processor run} with exactly this environment, its output lines to {@code output}.
   */
  ProcessorProcess start(Map<String, String> env, List<String> jvmFlags, Consumer<String> output);

  /**
   * Runs {@code jar} as {@code bin/processor} does, with the JVM flags beside it.
   *
   * @throws DevStackException when the jar or its JVM options file is missing
   */
  static ProcessorLauncher jar(Path jar) {
    for (Path needed : List.of(jar, jar.resolveSibling(ProcessorProcess.JVM_OPTIONS_FILE))) {
      if (!Files.isRegularFile(needed)) {
        throw new DevStackException(needed + " is missing; run 'make build' first");
      }
    }
    return (env, flags, output) -> ProcessorProcess.start("processor", jar, env, flags, output);
  }
}
