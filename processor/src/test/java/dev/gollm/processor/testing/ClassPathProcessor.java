package dev.gollm.processor.testing;

import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Main;

/**
 * The processor as a child JVM started from this module's class path: the tests run before the jar
 * is packaged. Start it with {@link ProcessorProcess#start(String, ProcessorProcess.Program,
 * java.util.Map, java.util.List, java.util.function.Consumer)}.
 */
public final class ClassPathProcessor {
  private ClassPathProcessor() {}

  /** {@code processor run} from the test class path. */
  public static ProcessorProcess.Program program() {
    return ProcessorProcess.Program.mainClass(
        System.getProperty("java.class.path"), Main.class.getName());
  }
}
