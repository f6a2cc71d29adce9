package dev.gollm.processor.deploy;

import java.lang.management.ManagementFactory;

/**
 * Stands in for the processor's jar in launcher tests: prints the JVM flags it was started with,
 * one per line, then its program arguments after a {@code --} line.
 */
public final class PrintJvmArguments {
  private PrintJvmArguments() {}

  public static void main(String[] args) {
    ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
    System.out.println("--");
    for (String arg : args) {
      System.out.println(arg);
    }
  }
}
