package dev.gollm.processor.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    JsonValue v =
        Json.parse(
            """
            {"s":"text","i":5,"f":1.5,"t":true,"n":null,"a":[1,"x"],"o":{"k":false}}""");

    assertThat(v).isInstanceOf(JsonObject.class);
    assertThat(v.get("s")).isEqualTo(new JsonString("text"));
    assertThat(v.get("i")).isEqualTo(new JsonNumber(5));
    assertThat(v.get("f")).isEqualTo(new JsonNumber(1.5));
    assertThat(v.get("t")).isEqualTo(JsonBoolean.TRUE);
    assertThat(v.get("n")).isEqualTo(JsonNull.INSTANCE);
    assertThat(v.get("a"))
        .isEqualTo(new JsonArray(List.of(new JsonNumber(1), new JsonString("x"))));
    assertThat(v.get("o")).isEqualTo(new JsonObject(Map.of("k", JsonBoolean.FALSE)));
    assertThat(Json.parse("\"top\"")).isEqualTo(new JsonString("top"));
    assertThat(Json.parse(" 7 ")).isEqualTo(new JsonNumber(7));
  }

  @Test
  void blankTextIsNoValue() {
    assertThat(Json.parse("")).isEqualTo(JsonMissing.INSTANCE);
    assertThat(Json.parse(" \n\t ")).isEqualTo(JsonMissing.INSTANCE);
  }

  @Test
  void integersKeepTheSizeTheyNeedAndEverythingElseIsADouble() {
    assertThat(number("2147483647")).isEqualTo(Integer.MAX_VALUE);
    assertThat(number("2147483648")).isEqualTo(2147483648L);
    assertThat(number("-9223372036854775809")).isEqualTo(new BigInteger("-9223372036854775809"));
    assertThat(number("5.0")).isEqualTo(5.0);
    assertThat(number("1E2")).isEqualTo(100.0);
    assertThat(number("-0.0")).isEqualTo(-0.0);
    assertThat(number("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  private static Number number(String json) {
    return ((JsonNumber) Json.parse(json)).value();
  }

  @Test
  void objectsKeepDocumentOrderAndTheLastValueOfARepeatedName() {
    JsonValue v = Json.parse("{\"b\":1,\"a\":2,\"b\":3}");

    assertThat(v.members().keySet()).containsExactly("b", "a");
    assertThat(v.get("b")).isEqualTo(new JsonNumber(3));
    assertThat(v).hasToString("{\"b\":3,\"a\":2}");
  }

  @Test
  void escapesAreDecoded() {
    JsonValue v = Json.parse("\"q\\\" b\\\\ s\\/ n\\n t\\t u\\u00e9 pair\\ud83d\\ude00 c\\u0001\"");

    assertThat(v.asString()).isEqualTo("q\" b\\ s/ n\n t\t ué pair😀 c\u0001");
  }

  @Test
  void stringsRoundTripExactly() {
    String text =
        "ascii \"quoted\" back\\slash /slash\n\r\t\b\f \u0000\u001f\u007f é ß 中文 😀 \u2028\u2029"
            + " lone-free </script>";

    byte[] written = Json.write(Map.of("text", text));

    assertThat(Json.parse(new String(written, StandardCharsets.UTF_8)).get("text").asString())
        .isEqualTo(text);
    assertThat(Json.parse(Json.text(List.of(text))).elements().getFirst().asString())
        .isEqualTo(text);
  }

  @Test
  void writesUtf8WithOnlyTheEscapesJsonRequires() {
    assertThat(Json.text("é😀 \"\\/\n\u0001")).isEqualTo("\"é😀 \\\"\\\\/\\n\\u0001\"");
    assertThat(new String(Json.write("é"), StandardCharsets.UTF_8)).isEqualTo("\"é\"");
    assertThat(Json.write("é")).hasSize(4); // two quotes and é's two UTF-8 bytes
  }

  @Test
  void writesMapsInTheirOrderListsAndScalars() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", "m");
    body.put("messages", List.of(Map.of("role", "user")));
    body.put("stream", true);
    body.put("count", 12345678901L);
    body.put("num_ctx", 4096);
    body.put("temperature", 0.3);
    body.put("big", new BigInteger("123456789012345678901234567890"));
    body.put("none", null);

    assertThat(Json.text(body))
        .isEqualTo(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":true,"
                + "\"count\":12345678901,\"num_ctx\":4096,\"temperature\":0.3,"
                + "\"big\":123456789012345678901234567890,\"none\":null}");
  }

  @Test
  void writesDoublesAsJavaPrintsThemAndNonFiniteOnesAsStrings() {
    assertThat(Json.text(Arrays.asList(1.1, 1e10, 1e-7, 100.0, Double.NaN, null)))
        .isEqualTo("[1.1,1.0E10,1.0E-7,100.0,\"NaN\",null]");
  }

  @Test
  void parsedValuesWriteBackAsCompactJson() {
    String json = "{ \"a\" : [ 1 , 2.5 , \"x\" , null , true ] , \"b\" : { } }";

    JsonValue v = Json.parse(json);

    assertThat(v).hasToString("{\"a\":[1,2.5,\"x\",null,true],\"b\":{}}");
    assertThat(Json.text(v)).isEqualTo(v.toString());
    assertThat(Json.parse(v.toString())).isEqualTo(v);
  }

  @Test
  void refusesToWriteWhatJsonHasNoShapeFor() {
    assertThatThrownBy(() -> Json.write(Map.of("at", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.time.Instant");
  }

  @Test
  void malformedInputSaysWhatIsWrongAndWhere() {
    JsonException e = malformed("{\"a\":1,\n \"b\":}");

    assertThat(e.reason())
        .isEqualTo(
            "unexpected '}' where a value (a string, a number, an object, an array, true, false or"
                + " null) was expected");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(6);
    assertThat(e).hasMessage(e.reason() + " at line 2, column 6");
  }

  @Test
  void theTextsEndIsWhereAnUnfinishedDocumentIsMalformed() {
    JsonException e = malformed("[1,\n 2");

    assertThat(e.reason())
        .isEqualTo("the text ends where ',' or ']' after an array's element was expected");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(3);
  }

  private static JsonException malformed(String json) {
    return catchThrowableOfType(JsonException.class, () -> Json.parse(json));
  }

  @Test
  void unfinishedDocumentsAreMalformed() {
    for (String json : List.of("{", "[1,", "{\"a\":", "\"open", "tru")) {
      assertThatThrownBy(() -> Json.parse(json)).as(json).isInstanceOf(JsonException.class);
    }
  }

  @Test
  void anythingAfterTheValueIsMalformed() {
    JsonException e = malformed("{}\n {}");

    assertThat(e.reason())
        .isEqualTo("unexpected '{' where the end of the text after the value was expected");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(2);
    assertThat(malformed("1 x").reason()).startsWith("unexpected 'x' where the end of the text");
  }

  @Test
  void onlyStandardJsonIsAccepted() {
    for (String json :
        List.of(
            "{a:1}",
            "{'a':1}",
            "[1,]",
            "[01]",
            "NaN",
            "[1] // comment",
            "/* c */ 1",
            "\"tab\tinside\"",
            "\"bad \\q escape\"",
            "\"short \\u12\"",
            "-",
            "1.",
            "1e",
            ".5",
            "+1",
            "truex",
            "nul",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "[1 2]")) {
      assertThatThrownBy(() -> Json.parse(json)).as(json).isInstanceOf(JsonException.class);
    }
  }

  @Test
  void nestingIsBoundedAt500() {
    assertThat(Json.parse("[".repeat(500) + "]".repeat(500))).isInstanceOf(JsonArray.class);
    assertThat(Json.parse("{\"a\":".repeat(500) + "1" + "}".repeat(500)))
        .isInstanceOf(JsonObject.class);

    JsonException e = malformed("[".repeat(501) + "]".repeat(501));
    assertThat(e.reason()).isEqualTo("arrays and objects nested deeper than 500 levels");
    assertThat(e.column()).isEqualTo(501);
  }

  @Test
  void numbersAreBoundedAt1000Characters() {
    assertThat(Json.parse("9".repeat(1000))).isInstanceOf(JsonNumber.class);

    assertThat(malformed("9".repeat(1001)).reason())
        .isEqualTo("a number of 1001 characters; at most 1000 are read");
  }

  @Test
  void integersAtTheEdgesOfALongKeepTheirValue() {
    assertThat(number("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(number("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(number("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(number("-2147483648")).isEqualTo(Integer.MIN_VALUE);
    assertThat(number("0")).isEqualTo(0);
    assertThat(number("-0")).isEqualTo(0);
  }

  @Test
  void controlCharactersAreNamedInMessages() {
    assertThat(malformed("\"a\u0001b\"").reason())
        .startsWith("unexpected control character U+0001 where no control character");
  }

  @Test
  void aBareUnicodeEscapeDecodesHalfSurrogatesAsTheyAre() {
    assertThat(Json.parse("\"\\ud83d\"").asString()).isEqualTo("\ud83d");
    assertThat(Json.parse("\"\\u00E9\\u00e9\"").asString()).isEqualTo("éé");
  }
}
