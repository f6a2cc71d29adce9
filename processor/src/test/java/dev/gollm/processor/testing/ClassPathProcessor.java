package dev.gollm.processor.testing;

import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Main;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor as a child JVM started from this module's class path: the tests run before the jar
 * is packaged. Start it with {@link ProcessorProcess#start(String, ProcessorProcess.Program,
 * java.util.Map, java.util.List, java.util.function.Consumer)}.
 */
public final class ClassPathProcessor {
  private static final Logger log = LoggerFactory.getLogger(ClassPathProcessor.class);

  private ClassPathProcessor() {}

  /**
   * {@code processor run} from the test class path, less Logback: the tests' logging backend, which
   * the processor as shipped does not have.
   */
  public static ProcessorProcess.Program program() {
    return ProcessorProcess.Program.mainClass(
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("logback-"))
            .collect(Collectors.joining(File.pathSeparator)),
        Main.class.getName(),
        // The build copies it here before the tests run (process-resources).
        Path.of("target", ProcessorProcess.JVM_OPTIONS_FILE).toAbsolutePath());
  }

  /**
   * Copies a child's output lines into the running test class's log file, tagged with {@code name}.
   */
  public static Consumer<String> toTestLog(String name) {
    return line -> log.info("[child {}] {}", name, line);
  }
}
