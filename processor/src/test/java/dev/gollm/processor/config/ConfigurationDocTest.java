package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's variable tables are the variable table's own Markdown, unedited. */
class ConfigurationDocTest {
  private static final String BEGIN = "<!-- BEGIN generated: bin/processor config --markdown -->\n";
  private static final String END = "<!-- END generated -->";

  @Test
  void theConfigurationDocsTablesMatchTheVariableTable() throws Exception {
    // Surefire runs in the processor module; docs/ is at the repository root.
    Path doc =
        Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("configuration.md");
    String text = Files.readString(doc);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);

    assertThat(begin).as("%s marker %s", doc, BEGIN.strip()).isNotNegative();
    assertThat(end).as("%s marker %s", doc, END).isGreaterThan(begin);
    assertThat(text.substring(begin + BEGIN.length(), end))
        .as("docs/configuration.md tables; paste the output of: bin/processor config --markdown")
        .isEqualTo(ConfigReference.markdown());
  }
}
