package dev.gollm.processor.json;

/** The kinds of {@link JsonValue}; {@link #MISSING} stands for a member that is not there. */
public enum JsonType {
  OBJECT,
  ARRAY,
  STRING,
  NUMBER,
  BOOLEAN,
  NULL,
  MISSING
}
