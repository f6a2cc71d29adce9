package dev.gollm.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One console line per test class as it ends: module, class, tests, wall time, CPU time (of this
 * JVM and the child processes it waited for, see {@link CpuTime}), result, and each failed test's
 * name and first message line. Registered for every test run through META-INF/services; it also
 * points the log files at the class that starts ({@link TestClassDiscriminator}).
 *
 * <p>It prints to the test JVM's standard output, which surefire forwards to the build's console;
 * the code under test logs to files only, so these lines are all the console shows.
 */
public final class TestProgress implements TestExecutionListener {
  private static final String PROJECT_PACKAGE = "dev.gollm.";
  private static final int MESSAGE_WIDTH = 160;

  /** Set by the build (surefire's systemPropertyVariables). */
  private final String module = System.getProperty("test.module", "");

  private final Map<String, ClassRun> runs = new ConcurrentHashMap<>();
  private volatile TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    if (isTestClass(id)) {
      String className = className(id);
      TestClassDiscriminator.enter(className);
      runs.put(id.getUniqueId(), new ClassRun(className, System.nanoTime(), CpuTime.now()));
    }
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    if (isTestClass(id)) {
      ClassRun run = new ClassRun(className(id), System.nanoTime(), CpuTime.now());
      run.skipped(testsUnder(id));
      print(run);
    } else {
      runOf(id).ifPresent(run -> run.skipped(id.isTest() ? 1 : testsUnder(id)));
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (isTestClass(id)) {
      ClassRun run = runs.remove(id.getUniqueId());
      if (run != null) {
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
          run.failed("(the class itself)", result);
        }
        print(run);
      }
    } else if (id.isTest()) {
      runOf(id)
          .ifPresent(
              run -> {
                switch (result.getStatus()) {
                  case SUCCESSFUL -> run.passed();
                  case ABORTED -> run.skipped(1);
                  case FAILED -> run.failed(id.getDisplayName(), result);
                }
              });
    } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
      runOf(id).ifPresent(run -> run.failed(id.getDisplayName(), result));
    }
  }

  private void print(ClassRun run) {
    System.out.print(run.report(module));
    System.out.flush();
  }

  /** A class directly under its engine: nested classes report with their enclosing class. */
  private boolean isTestClass(TestIdentifier id) {
    return id.getSource().orElse(null) instanceof ClassSource
        && plan != null
        && plan.getParent(id).map(parent -> parent.getParentIdObject().isEmpty()).orElse(false);
  }

  private Optional<ClassRun> runOf(TestIdentifier id) {
    for (TestIdentifier at = id; at != null; at = plan.getParent(at).orElse(null)) {
      ClassRun run = runs.get(at.getUniqueId());
      if (run != null) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }

  private long testsUnder(TestIdentifier id) {
    return plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
  }

  private static String className(TestIdentifier id) {
    return ((ClassSource) id.getSource().orElseThrow()).getClassName();
  }

  /** The tally of one test class; safe should JUnit ever report from several threads. */
  private static final class ClassRun {
    private final String className;
    private final long startNanos;
    private final double startCpuSeconds;
    private final List<String> failures = new ArrayList<>();
    private long passed;
    private long skipped;

    ClassRun(String className, long startNanos, double startCpuSeconds) {
      this.className = className;
      this.startNanos = startNanos;
      this.startCpuSeconds = startCpuSeconds;
    }

    synchronized void passed() {
      passed++;
    }

    synchronized void skipped(long tests) {
      skipped += tests;
    }

    synchronized void failed(String test, TestExecutionResult result) {
      String message =
          result
              .getThrowable()
              .map(t -> t.getClass().getSimpleName() + ": " + firstLine(t.getMessage()))
              .orElse("failed");
      failures.add(test + "  " + message);
    }

    synchronized String report(String module) {
      long tests = passed + skipped + failures.size();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double cpuSeconds = CpuTime.now() - startCpuSeconds;
      String result = failures.isEmpty() ? "ok" : "FAILED " + failures.size();
      if (skipped > 0) {
        result += " (" + skipped + " skipped)";
      }
      String name = className;
      for (String prefix : List.of(PROJECT_PACKAGE + module + ".", PROJECT_PACKAGE)) {
        if (name.startsWith(prefix)) {
          name = name.substring(prefix.length());
          break;
        }
      }
      StringBuilder out =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-10s %-46s %4d tests %7.1f s  cpu %6.1f s  %s%n",
                  module,
                  name,
                  tests,
                  seconds,
                  cpuSeconds,
                  result));
      for (String failure : failures) {
        out.append(String.format(Locale.ROOT, "%10s   FAILED %s%n", "", failure));
      }
      return out.toString();
    }

    private static String firstLine(String message) {
      if (message == null) {
        return "";
      }
      String line = message.strip().lines().findFirst().orElse("");
      return line.length() > MESSAGE_WIDTH ? line.substring(0, MESSAGE_WIDTH) + "..." : line;
    }
  }
}
