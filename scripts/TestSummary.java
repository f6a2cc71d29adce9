import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The end of {@code make test}: reads each module's surefire reports and prints the tests run,
 * failed and skipped, the time per module, the slowest test classes and, for every failure, the
 * test, its message and the end of its class's log file. Exits 1 when a test failed or a module has
 * no reports (it did not run).
 *
 * <p>Run as a source file, so it needs nothing but a JDK: {@code java scripts/TestSummary.java
 * devstack processor}.
 */
public final class TestSummary {
  private static final int SLOWEST = 10;
  private static final int LOG_TAIL_LINES = 80;
  private static final int MESSAGE_LINES = 20;

  record Failure(String test, String kind, String message, String trace) {}

  record ClassReport(String module, String name, int tests, int failed, int skipped, double seconds, long endMillis, List<Failure> failures) {
    long startMillis() {
      return endMillis - Math.round(seconds * 1000);
    }
  }

  public static void main(String[] modules) throws Exception {
    List<ClassReport> all = new ArrayList<>();
    List<String> notRun = new ArrayList<>();
    System.out.println();
    System.out.println("Summary");
    for (String module : modules) {
      List<ClassReport> reports = read(module);
      if (reports.isEmpty()) {
        notRun.add(module);
        System.out.printf(Locale.ROOT, "  %-10s not run (no test reports)%n", module);
        continue;
      }
      all.addAll(reports);
      long wallMillis =
          reports.stream().mapToLong(ClassReport::endMillis).max().orElseThrow()
              - reports.stream().mapToLong(ClassReport::startMillis).min().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "  %-10s %4d tests  %3d failed  %3d skipped  %6.1f s  (%d classes)%n",
          module,
          sum(reports, ClassReport::tests),
          sum(reports, ClassReport::failed),
          sum(reports, ClassReport::skipped),
          wallMillis / 1000.0,
          reports.size());
    }
    int failed = sum(all, ClassReport::failed);
    System.out.printf(
        Locale.ROOT,
        "  %-10s %4d tests  %3d failed  %3d skipped%n",
        "all",
        sum(all, ClassReport::tests),
        failed,
        sum(all, ClassReport::skipped));

    if (!all.isEmpty()) {
      System.out.println();
      System.out.println("Slowest test classes");
    }
    all.stream()
        .sorted(Comparator.comparingDouble(ClassReport::seconds).reversed())
        .limit(SLOWEST)
        .forEach(
            r ->
                System.out.printf(
                    Locale.ROOT, "  %6.1f s  %-10s %s%n", r.seconds(), r.module(), shortName(r)));

    for (ClassReport report : all) {
      for (Failure failure : report.failures()) {
        printFailure(report, failure);
      }
    }
    System.out.println();
    if (failed > 0 || !notRun.isEmpty()) {
      System.out.println(
          "FAILED: "
              + failed
              + " failed test(s)"
              + (notRun.isEmpty() ? "" : "; not run: " + String.join(", ", notRun))
              + ". Logs: <module>/target/test-logs/<test class>.log");
      System.exit(1);
    }
    System.out.println("PASSED. Logs: <module>/target/test-logs/<test class>.log");
  }

  private static List<ClassReport> read(String module) throws Exception {
    Path dir = Path.of(module, "target", "surefire-reports");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
    }
    List<ClassReport> reports = new ArrayList<>();
    for (Path file : files) {
      reports.add(parse(module, file));
    }
    return reports;
  }

  private static ClassReport parse(String module, Path file) throws Exception {
    Element suite =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(file.toFile())
            .getDocumentElement();
    List<Failure> failures = new ArrayList<>();
    NodeList cases = suite.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      for (String kind : List.of("failure", "error")) {
        NodeList problems = testCase.getElementsByTagName(kind);
        for (int j = 0; j < problems.getLength(); j++) {
          Element problem = (Element) problems.item(j);
          failures.add(
              new Failure(
                  testCase.getAttribute("name"),
                  problem.getAttribute("type"),
                  problem.getAttribute("message"),
                  problem.getTextContent()));
        }
      }
    }
    return new ClassReport(
        module,
        suite.getAttribute("name"),
        number(suite, "tests"),
        number(suite, "failures") + number(suite, "errors"),
        number(suite, "skipped"),
        Double.parseDouble(suite.getAttribute("time").replace(",", "")),
        Files.getLastModifiedTime(file).toMillis(),
        failures);
  }

  private static void printFailure(ClassReport report, Failure failure) throws IOException {
    System.out.println();
    System.out.println("FAILED " + report.module() + " " + report.name() + "." + failure.test());
    System.out.println("  " + failure.kind());
    failure
        .message()
        .lines()
        .limit(MESSAGE_LINES)
        .forEach(line -> System.out.println("    " + line));
    String simpleName = report.name().substring(report.name().lastIndexOf('.') + 1);
    failure
        .trace()
        .lines()
        .filter(line -> line.contains(simpleName + ".java"))
        .findFirst()
        .ifPresent(line -> System.out.println("  " + line.strip()));
    Path log = Path.of(report.module(), "target", "test-logs", report.name() + ".log");
    if (!Files.exists(log)) {
      System.out.println("  (no log file: " + log + ")");
      return;
    }
    List<String> lines =
        new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    int from = Math.max(0, lines.size() - LOG_TAIL_LINES);
    System.out.printf(
        Locale.ROOT, "  --- %s, last %d of %d lines ---%n", log, lines.size() - from, lines.size());
    lines.subList(from, lines.size()).forEach(line -> System.out.println("  " + line));
    System.out.println("  ---");
  }

  /** The class name without the project's package prefix, as the progress lines show it. */
  private static String shortName(ClassReport report) {
    for (String prefix : List.of("dev.gollm." + report.module() + ".", "dev.gollm.")) {
      if (report.name().startsWith(prefix)) {
        return report.name().substring(prefix.length());
      }
    }
    return report.name();
  }

  private static int number(Element element, String attribute) {
    String value = element.getAttribute(attribute);
    return value.isEmpty() ? 0 : Integer.parseInt(value);
  }

  private static int sum(List<ClassReport> reports, ToIntFunction<ClassReport> field) {
    return reports.stream().mapToInt(field).sum();
  }
}
