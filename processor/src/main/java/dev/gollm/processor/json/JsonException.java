package dev.gollm.processor.json;

/**
 * Text that is not one well-formed JSON value, or that breaks a parsing limit (nesting, number
 * length). The message says what is wrong and where, e.g. for {@code [1,]}: "unexpected ']' where a
 * value (a string, a number, an object, an array, true, false or null) was expected at line 1,
 * column 4".
 */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int line;
  private final int column;

  JsonException(String reason, int line, int column) {
    super(reason + " at line " + line + ", column " + column);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  /** What is wrong, without where. */
  public String reason() {
    return reason;
  }

  /** The line of the offending character, from 1. */
  public int line() {
    return line;
  }

  /** The column of the offending character, from 1. */
  public int column() {
    return column;
  }
}
