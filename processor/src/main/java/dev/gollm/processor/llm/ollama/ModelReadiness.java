package dev.gollm.processor.llm.ollama;

import dev.gollm.processor.llm.LlmReachability;

/**
 * Reports to /ready what keeps the default model (MODEL_NAME) from answering: being pulled, being
 * loaded, or having failed to become available. Other models are not reported: a task asking for
 * one waits for it, but the processor stays ready for the rest.
 */
final class ModelReadiness {
  private final String defaultModel;
  private final LlmReachability reachability;

  ModelReadiness(String defaultModel, LlmReachability reachability) {
    this.defaultModel = ModelCatalog.canonical(defaultModel);
    this.reachability = reachability;
  }

  /** The model is being pulled, loaded, ...: {@code doing} says which. */
  void busy(String model, String doing) {
    report(model, "model " + model + " " + doing);
  }

  /** The model could not be made available (the reason stays until it is). */
  void failed(String model, String why) {
    report(model, "model " + model + " not available: " + why);
  }

  /** The model is loaded and answers. */
  void ready(String model) {
    if (isDefault(model)) {
      reachability.clearPending();
    }
  }

  private void report(String model, String reason) {
    if (isDefault(model)) {
      reachability.pending(reason);
    }
  }

  private boolean isDefault(String model) {
    return defaultModel.equals(ModelCatalog.canonical(model));
  }
}
