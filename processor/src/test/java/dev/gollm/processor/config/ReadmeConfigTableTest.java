package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration tables are the variable table's own Markdown, unedited. */
class ReadmeConfigTableTest {
  private static final String BEGIN = "<!-- BEGIN generated: bin/processor config --markdown -->\n";
  private static final String END = "<!-- END generated -->";

  @Test
  void readmeTablesMatchTheVariableTable() throws Exception {
    // Surefire runs in the processor module; the README is at the repository root.
    Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
    String text = Files.readString(readme);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);

    assertThat(begin).as("README marker %s", BEGIN.strip()).isNotNegative();
    assertThat(end).as("README marker %s", END).isGreaterThan(begin);
    assertThat(text.substring(begin + BEGIN.length(), end))
        .as("README tables; regenerate with: bin/processor config --markdown")
        .isEqualTo(ConfigReference.markdown());
  }
}
