package dev.gollm.processor.llm.route;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A client of one API as a {@link Backend}. */
record ClientBackend(LlmClient client, Supplier<String> apiName, Predicate<String> serves)
    implements Backend {
  @Override
  public String api() {
    return apiName.get();
  }

  @Override
  public boolean mayServe(String model) {
    return serves.test(model);
  }

  @Override
  public void ping() {
    client.ping();
  }

  @Override
  public void ensureModel(String model, CancelSignal cancel) {
    client.ensureModel(model, cancel);
  }

  @Override
  public Generation chat(ChatRequest request, CancelSignal cancel) {
    return client.chat(request, cancel);
  }
}
