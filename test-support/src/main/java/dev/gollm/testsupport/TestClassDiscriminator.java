package dev.gollm.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.sift.AbstractDiscriminator;

/**
 * Picks the log file of every logging event: the test class that runs in this JVM, or ran last.
 *
 * <p>Logback builds this class itself from logback-test-files.xml, so the value it reads is static.
 * One value is exact for every thread, including the many the code under test starts, because a
 * test JVM runs one test class at a time: surefire hands each fork one class after another, and
 * JUnit runs them sequentially (its parallel execution stays off). Threads still logging after
 * their class ended stay in that class's file.
 */
public final class TestClassDiscriminator extends AbstractDiscriminator<ILoggingEvent> {
  /** The name logback-test-files.xml uses for the value: {@code ${testClass}}. */
  static final String KEY = "testClass";

  private static volatile String current = "before-any-test-class";

  /** From now on, events go to {@code className}'s file. */
  static void enter(String className) {
    current = className;
  }

  @Override
  public String getDiscriminatingValue(ILoggingEvent event) {
    return current;
  }

  @Override
  public String getKey() {
    return KEY;
  }
}
