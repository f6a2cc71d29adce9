package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

  private static String value(EnvFile.Parsed parsed, String key) {
    return parsed.entries().get(key).value();
  }

  @Test
  void readsAssignmentsSkippingCommentsAndBlankLines() {
    EnvFile.Parsed parsed =
        EnvFile.parse("# a comment\n\nPOLL_INTERVAL=7s\n  WORKER_COUNT = 4  \n", "f");

    assertThat(parsed.problems()).isEmpty();
    assertThat(value(parsed, "POLL_INTERVAL")).isEqualTo("7s");
    assertThat(value(parsed, "WORKER_COUNT")).isEqualTo("4");
    assertThat(parsed.entries().get("WORKER_COUNT").line()).isEqualTo(4);
  }

  @Test
  void acceptsExportPrefix() {
    EnvFile.Parsed parsed = EnvFile.parse("export MODEL_NAME=llama3\n", "f");

    assertThat(value(parsed, "MODEL_NAME")).isEqualTo("llama3");
  }

  @Test
  void takesSingleQuotedValuesLiterally() {
    EnvFile.Parsed parsed = EnvFile.parse("KEY='a # not a comment \\n $HOME'\n", "f");

    assertThat(value(parsed, "KEY")).isEqualTo("a # not a comment \\n $HOME");
  }

  @Test
  void unescapesDoubleQuotedValues() {
    EnvFile.Parsed parsed = EnvFile.parse("KEY=\"say \\\"hi\\\"\\n\\\\ # kept\" # comment\n", "f");

    assertThat(value(parsed, "KEY")).isEqualTo("say \"hi\"\n\\ # kept");
  }

  @Test
  void endsUnquotedValuesAtAnInlineComment() {
    EnvFile.Parsed parsed = EnvFile.parse("A=5s # five seconds\nB=x#y\n", "f");

    assertThat(value(parsed, "A")).isEqualTo("5s");
    assertThat(value(parsed, "B")).isEqualTo("x#y");
  }

  @Test
  void keepsTheLastOfRepeatedKeys() {
    EnvFile.Parsed parsed = EnvFile.parse("A=1\nA=2\n", "f");

    assertThat(value(parsed, "A")).isEqualTo("2");
  }

  @Test
  void reportsEveryMalformedLineWithItsNumber() {
    EnvFile.Parsed parsed =
        EnvFile.parse("no equals sign\n1BAD=x\nQ='open\nR=\"x\" trailing\nOK=1\n", "my.env");

    assertThat(parsed.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "my.env line 1: \"no equals sign\" is not an assignment; expected KEY=VALUE, a #"
                + " comment or a blank line",
            "my.env line 2: \"1BAD\" is not a valid key; expected letters, digits and _ (not"
                + " starting with a digit)",
            "my.env line 3: Q: the single quote is not closed on this line",
            "my.env line 4: R: unexpected \"trailing\" after the closing quote");
    assertThat(value(parsed, "OK")).isEqualTo("1");
  }

  @Test
  void reportsAMissingFile(@TempDir Path dir) {
    EnvFile.Parsed parsed = EnvFile.read(dir.resolve("absent.env"), "--config absent.env");

    assertThat(parsed.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly("--config absent.env: cannot read the file: it does not exist");
  }
}
