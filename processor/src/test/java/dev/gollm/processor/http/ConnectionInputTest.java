package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConnectionInputTest {
  private static ConnectionInput input(String text, int bufferSize) {
    return new ConnectionInput(new ByteArrayInputStream(text.getBytes(ISO_8859_1)), bufferSize);
  }

  @Test
  void linesEndAtLfWithACrBeforeItDropped() throws IOException {
    ConnectionInput in = input("first\r\nsecond\nthird\r\n\r\n", 64);

    assertThat(in.line(100, "long")).isEqualTo("first");
    assertThat(in.line(100, "long")).isEqualTo("second");
    assertThat(in.line(100, "long")).isEqualTo("third");
    assertThat(in.line(100, "long")).isEmpty();
    assertThat(in.line(100, "long")).isNull();
  }

  @Test
  void aLineThatSpansReadsComesWhole() throws IOException {
    ConnectionInput in = input("a line of some length\r\nnext\r\n", 4);

    assertThat(in.line(100, "long")).isEqualTo("a line of some length");
    assertThat(in.line(100, "long")).isEqualTo("next");
  }

  @Test
  void aCrBeforeTheLfInTheNextReadIsDroppedToo() throws IOException {
    ConnectionInput in = input("abc\r\nd\n", 4); // "abc\r" fills the first read

    assertThat(in.line(100, "long")).isEqualTo("abc");
    assertThat(in.line(100, "long")).isEqualTo("d");
  }

  @Test
  void theStreamEndingInsideALineIsAnEof() throws IOException {
    ConnectionInput in = input("whole\npart", 3);

    assertThat(in.line(100, "long")).isEqualTo("whole");
    assertThatThrownBy(() -> in.line(100, "long")).isInstanceOf(EOFException.class);
  }

  @Test
  void aLineLongerThanTheBoundFailsWithTheGivenMessage() throws IOException {
    assertThat(input("12345\r\n", 64).line(5, "too long")).isEqualTo("12345");
    assertThat(input("12345\r\n", 2).line(5, "too long")).isEqualTo("12345");

    assertThatThrownBy(() -> input("123456\n", 64).line(5, "too long"))
        .isInstanceOf(IOException.class)
        .hasMessage("too long");
    assertThatThrownBy(() -> input("1234567890".repeat(10), 4).line(5, "too long"))
        .hasMessage("too long");
  }

  @Test
  void bytesAfterALineAreReadAsTheyCame() throws IOException {
    ConnectionInput in = input("head\r\n0123456789", 8);
    in.line(100, "long");

    byte[] body = in.readAllBytes();

    assertThat(new String(body, ISO_8859_1)).isEqualTo("0123456789");
    assertThat(in.read()).isEqualTo(-1);
  }
}
