package dev.gollm.processor.json;

import java.math.BigInteger;

/**
 * A JSON number as the document wrote it: an integer ({@link Integer}, {@link Long} or, past a
 * long, {@link BigInteger}), or a fraction or exponent ({@link Double}, infinite past a double's
 * range). Callers that must tell integers from other numbers ask {@link #isIntegral()}.
 */
public record JsonNumber(Number value) implements JsonValue {
  private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  public JsonNumber {
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof Double)) {
      throw new IllegalArgumentException(
          "a JSON number is an Integer, Long, BigInteger or Double, not "
              + (value == null ? "null" : value.getClass().getName()));
    }
  }

  @Override
  public JsonType type() {
    return JsonType.NUMBER;
  }

  /** Whether the document wrote an integer (no fraction, no exponent). */
  public boolean isIntegral() {
    return !(value instanceof Double);
  }

  /** Whether the value is a whole number within an int's range (1.0 is, 1.5 is not). */
  public boolean fitsInt() {
    return fitsLong() && value.longValue() == value.intValue();
  }

  /** Whether the value is a whole number within a long's range. */
  public boolean fitsLong() {
    if (value instanceof BigInteger b) {
      return b.compareTo(MIN_LONG) >= 0 && b.compareTo(MAX_LONG) <= 0;
    }
    if (value instanceof Double d) {
      return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63;
    }
    return true;
  }

  /**
   * The value as an int.
   *
   * @throws ArithmeticException unless {@link #fitsInt()}
   */
  public int intValue() {
    if (!fitsInt()) {
      throw new ArithmeticException(value + " is not an int");
    }
    return value.intValue();
  }

  /**
   * The value as a long.
   *
   * @throws ArithmeticException unless {@link #fitsLong()}
   */
  public long longValue() {
    if (!fitsLong()) {
      throw new ArithmeticException(value + " is not a long");
    }
    return value.longValue();
  }

  public double doubleValue() {
    return value.doubleValue();
  }

  @Override
  public int asInt(int fallback) {
    if (value instanceof Double d) {
      return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) (double) d : fallback;
    }
    return fitsInt() ? value.intValue() : fallback;
  }

  @Override
  public long asLong(long fallback) {
    if (value instanceof Double d) {
      return d >= -0x1p63 && d < 0x1p63 ? (long) (double) d : fallback;
    }
    return fitsLong() ? value.longValue() : fallback;
  }

  @Override
  public double asDouble(double fallback) {
    return value.doubleValue();
  }

  @Override
  public boolean asBoolean(boolean fallback) {
    if (value instanceof Double) {
      return fallback;
    }
    return value instanceof BigInteger b ? b.signum() != 0 : value.longValue() != 0;
  }

  @Override
  public String asString(String fallback) {
    return value.toString();
  }

  @Override
  public String toString() {
    return Json.text(this);
  }
}
