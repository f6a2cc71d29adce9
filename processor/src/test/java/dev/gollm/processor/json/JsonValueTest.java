package dev.gollm.processor.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValueTest {
  private final JsonValue doc =
      Json.parse("{\"a\":{\"b\":\"deep\"},\"n\":null,\"list\":[1,2],\"s\":\"x\"}");

  @Test
  void pathChainsThroughMembersThatAreNotThere() {
    assertThat(doc.path("a").path("b").asString("")).isEqualTo("deep");
    assertThat(doc.path("nope").path("b")).isEqualTo(JsonMissing.INSTANCE);
    assertThat(doc.path("s").path("b")).isEqualTo(JsonMissing.INSTANCE);
    assertThat(doc.path("nope").asString("fallback")).isEqualTo("fallback");
  }

  @Test
  void onlyObjectsHaveMembersAndOnlyArraysElements() {
    assertThat(doc.get("nope")).isNull();
    assertThat(doc.get("list").get("0")).isNull();
    assertThat(doc.get("s").members()).isEmpty();
    assertThat(doc.get("a").elements()).isEmpty();
    assertThat(doc.get("list").elements()).hasSize(2);
  }

  @Test
  void hasCountsNullMembersAndHasNonNullDoesNot() {
    assertThat(doc.has("n")).isTrue();
    assertThat(doc.hasNonNull("n")).isFalse();
    assertThat(doc.hasNonNull("s")).isTrue();
    assertThat(doc.has("nope")).isFalse();
  }

  @Test
  void typesNameEachKind() {
    assertThat(
            List.of(
                doc.type(),
                doc.get("list").type(),
                doc.get("s").type(),
                doc.get("list").elements().getFirst().type(),
                JsonBoolean.TRUE.type(),
                doc.get("n").type(),
                doc.path("nope").type()))
        .containsExactly(
            JsonType.OBJECT,
            JsonType.ARRAY,
            JsonType.STRING,
            JsonType.NUMBER,
            JsonType.BOOLEAN,
            JsonType.NULL,
            JsonType.MISSING);
  }

  @Test
  void asStringGivesScalarsTextAndTheFallbackForAnythingElse() {
    assertThat(new JsonString("x").asString("f")).isEqualTo("x");
    assertThat(Json.parse("5").asString("f")).isEqualTo("5");
    assertThat(Json.parse("1e3").asString("f")).isEqualTo("1000.0");
    assertThat(JsonBoolean.FALSE.asString("f")).isEqualTo("false");
    assertThat(JsonNull.INSTANCE.asString("f")).isEqualTo("f");
    assertThat(JsonMissing.INSTANCE.asString("f")).isEqualTo("f");
    assertThat(doc.get("a").asString("f")).isEqualTo("f");
    assertThat(doc.get("list").asString("f")).isEqualTo("f");
  }

  @Test
  void asStringWithoutFallbackGivesContainersAsJsonAndNothingForNull() {
    assertThat(doc.get("a").asString()).isEqualTo("{\"b\":\"deep\"}");
    assertThat(doc.get("list").asString()).isEqualTo("[1,2]");
    assertThat(JsonNull.INSTANCE.asString()).isEmpty();
    assertThat(JsonMissing.INSTANCE.asString()).isEmpty();
  }

  @Test
  void asIntTakesIntegersThatFitTruncatesFractionsAndReadsIntStrings() {
    assertThat(Json.parse("42").asInt(-1)).isEqualTo(42);
    assertThat(Json.parse("5.7").asInt(-1)).isEqualTo(5);
    assertThat(Json.parse("-5.7").asInt(-1)).isEqualTo(-5);
    assertThat(Json.parse("\"12\"").asInt(-1)).isEqualTo(12);
    assertThat(Json.parse("2147483648").asInt(-1)).isEqualTo(-1);
    assertThat(Json.parse("1e400").asInt(-1)).isEqualTo(-1);
    assertThat(Json.parse("\"1.5\"").asInt(-1)).isEqualTo(-1);
    assertThat(Json.parse("true").asInt(-1)).isEqualTo(-1);
    assertThat(JsonNull.INSTANCE.asInt(-1)).isEqualTo(-1);
  }

  @Test
  void asLongTakesLongsAndFallsBackPastThem() {
    assertThat(Json.parse("12345678901").asLong(-1)).isEqualTo(12345678901L);
    assertThat(Json.parse("9223372036854775808").asLong(-1)).isEqualTo(-1);
    assertThat(Json.parse("\"12345678901\"").asLong(-1)).isEqualTo(12345678901L);
    assertThat(Json.parse("{}").asLong(-1)).isEqualTo(-1);
  }

  @Test
  void asDoubleTakesNumbersAndNumericStrings() {
    assertThat(Json.parse("12.5").asDouble(-1)).isEqualTo(12.5);
    assertThat(Json.parse("3").asDouble(-1)).isEqualTo(3.0);
    assertThat(Json.parse("\"1.5\"").asDouble(-1)).isEqualTo(1.5);
    assertThat(Json.parse("\"abc\"").asDouble(-1)).isEqualTo(-1);
    assertThat(JsonBoolean.TRUE.asDouble(-1)).isEqualTo(-1);
  }

  @Test
  void asBooleanTakesBooleansIntegersAndTheirWords() {
    assertThat(JsonBoolean.TRUE.asBoolean(false)).isTrue();
    assertThat(Json.parse("1").asBoolean(false)).isTrue();
    assertThat(Json.parse("0").asBoolean(true)).isFalse();
    assertThat(Json.parse("\"true\"").asBoolean(false)).isTrue();
    assertThat(Json.parse("\"false\"").asBoolean(true)).isFalse();
    assertThat(Json.parse("\"yes\"").asBoolean(true)).isTrue();
    assertThat(Json.parse("0.0").asBoolean(true)).isTrue();
    assertThat(JsonNull.INSTANCE.asBoolean(true)).isTrue();
  }

  @Test
  void numbersTellIntegersFromFractionsAndSayWhatTheyFit() {
    JsonNumber one = (JsonNumber) Json.parse("1");
    JsonNumber oneDotZero = (JsonNumber) Json.parse("1.0");
    JsonNumber half = (JsonNumber) Json.parse("1.5");
    JsonNumber pastInt = (JsonNumber) Json.parse("2147483648");
    JsonNumber pastLong = (JsonNumber) Json.parse("9223372036854775808");

    assertThat(one.isIntegral()).isTrue();
    assertThat(oneDotZero.isIntegral()).isFalse();
    assertThat(oneDotZero.fitsInt()).isTrue();
    assertThat(oneDotZero.intValue()).isEqualTo(1);
    assertThat(half.fitsInt()).isFalse();
    assertThat(half.fitsLong()).isFalse();
    assertThat(pastInt.fitsInt()).isFalse();
    assertThat(pastInt.fitsLong()).isTrue();
    assertThat(pastInt.longValue()).isEqualTo(2147483648L);
    assertThat(pastLong.isIntegral()).isTrue();
    assertThat(pastLong.fitsLong()).isFalse();
    assertThat(pastLong.doubleValue()).isEqualTo(9.223372036854776E18);
    assertThat(((JsonNumber) Json.parse("3e9")).fitsInt()).isFalse();
  }

  @Test
  void aNumberThatDoesNotFitIsNeverSilentlyNarrowed() {
    assertThatThrownBy(() -> ((JsonNumber) Json.parse("2147483648")).intValue())
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> ((JsonNumber) Json.parse("1.5")).longValue())
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void aNumberHoldsOnlyTheTypesAParserProduces() {
    assertThatThrownBy(() -> new JsonNumber(1.5f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Float");
    assertThat(new JsonNumber(BigInteger.TEN).value()).isEqualTo(BigInteger.TEN);
  }

  @Test
  void objectsAndArraysCannotBeChangedThroughWhatBuiltThem() {
    Map<String, JsonValue> members = new LinkedHashMap<>();
    members.put("a", JsonNull.INSTANCE);
    List<JsonValue> elements = new ArrayList<>(List.of(JsonNull.INSTANCE));
    JsonObject object = new JsonObject(members);
    JsonArray array = new JsonArray(elements);

    members.put("b", JsonNull.INSTANCE);
    elements.add(JsonNull.INSTANCE);

    assertThat(object.members()).containsOnlyKeys("a");
    assertThat(array.elements()).hasSize(1);
    assertThatThrownBy(() -> object.members().put("c", JsonNull.INSTANCE))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
