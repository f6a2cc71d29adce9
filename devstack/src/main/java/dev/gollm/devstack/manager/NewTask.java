package dev.gollm.devstack.manager;

import java.util.Objects;

/**
 * A task to create. {@code ollamaParams} is a JSON object in a string (already filtered to the keys
 * the manager keeps, see {@link OllamaParams}) or null; {@code userId} defaults to {@value
 * #DEFAULT_USER_ID}.
 */
public record NewTask(
    String productData, int priority, String ollamaParams, int maxRetries, String userId) {
  /** The user id of tasks created without one. */
  public static final String DEFAULT_USER_ID = "devstack";

  /** The manager's default {@code max_retries} for created tasks. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  public NewTask {
    Objects.requireNonNull(productData, "productData");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    if (userId == null || userId.isEmpty()) {
      userId = DEFAULT_USER_ID;
    }
    if (ollamaParams != null && ollamaParams.isEmpty()) {
      ollamaParams = null;
    }
  }

  /** A task with this input text, priority 0, no Ollama parameters and 3 retries. */
  public static NewTask of(String productData) {
    return new NewTask(productData, 0, null, DEFAULT_MAX_RETRIES, null);
  }

  public NewTask withPriority(int newPriority) {
    return new NewTask(productData, newPriority, ollamaParams, maxRetries, userId);
  }

  /** With Ollama parameters given as a JSON object text; unknown keys are dropped. */
  public NewTask withOllamaParams(String paramsJson) {
    return new NewTask(
        productData, priority, OllamaParams.normalize(paramsJson), maxRetries, userId);
  }

  public NewTask withMaxRetries(int newMaxRetries) {
    return new NewTask(productData, priority, ollamaParams, newMaxRetries, userId);
  }

  public NewTask withUserId(String newUserId) {
    return new NewTask(productData, priority, ollamaParams, maxRetries, newUserId);
  }
}
