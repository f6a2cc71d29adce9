package dev.gollm.devstack.ollama;

/** Ollama's model-name rule: a name without a tag means {@code :latest}. */
public final class ModelName {
  private ModelName() {}

  /**
   * Returns the name with {@code :latest} appended when it has no tag ({@code llama3.2} becomes
   * {@code llama3.2:latest}).
   *
   * @throws IllegalArgumentException when the name is null or blank
   */
  public static String normalize(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model name is empty; expected name[:tag]");
    }
    String trimmed = name.trim();
    int slash = trimmed.lastIndexOf('/');
    return trimmed.indexOf(':', slash + 1) < 0 ? trimmed + ":latest" : trimmed;
  }
}
