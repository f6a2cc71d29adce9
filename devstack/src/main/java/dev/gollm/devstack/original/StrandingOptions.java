package dev.gollm.devstack.original;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link StrandingProcessor}. The defaults are the original processor's ({@code
 * internal/config/config.go}): 2 workers, task heartbeats every 60 s, model {@code gemma3:1b}, one
 * 60 s HTTP timeout for Ollama.
 *
 * @param managerUrl the manager's base URL ({@code WORKER_URL})
 * @param apiKey the manager's internal API key
 * @param ollamaUrl Ollama's (or the simulator's) base URL
 * @param processorId the name it claims and heartbeats under
 * @param workers tasks generated at once
 * @param heartbeatInterval period of the heartbeats of the tasks it works on
 * @param reconnectDelay wait before reconnecting after the task stream ended or failed
 * @param completeUnowned whether it also generates and completes an announced task it does not own,
 *     and goes on with a task whose heartbeat got 404 (pitfalls 3 and 8); off by default, so that
 *     only its stranding is reproduced
 * @param model the model used when a task's ollama_params names none
 * @param managerTimeout timeout of each manager call
 * @param ollamaTimeout timeout of each generation
 */
public record StrandingOptions(
    URI managerUrl,
    String apiKey,
    URI ollamaUrl,
    String processorId,
    int workers,
    Duration heartbeatInterval,
    Duration reconnectDelay,
    boolean completeUnowned,
    String model,
    Duration managerTimeout,
    Duration ollamaTimeout) {
  public StrandingOptions {
    Objects.requireNonNull(managerUrl, "managerUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(ollamaUrl, "ollamaUrl");
    Objects.requireNonNull(processorId, "processorId");
    Objects.requireNonNull(model, "model");
    if (processorId.isBlank()) {
      throw new IllegalArgumentException("processorId must not be blank");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("reconnectDelay", reconnectDelay);
    requirePositive("managerTimeout", managerTimeout);
    requirePositive("ollamaTimeout", ollamaTimeout);
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** The original's defaults against this manager and Ollama. */
  public static Builder builder(URI managerUrl, String apiKey, URI ollamaUrl) {
    return new Builder(managerUrl, apiKey, ollamaUrl);
  }

  /** Builds {@link StrandingOptions}; every setter starts at the original's default. */
  public static final class Builder {
    private final URI managerUrl;
    private final String apiKey;
    private final URI ollamaUrl;
    private String processorId = "original-processor";
    private int workers = 2;
    private Duration heartbeatInterval = Duration.ofSeconds(60);
    private Duration reconnectDelay = Duration.ofSeconds(5);
    private boolean completeUnowned;
    private String model = "gemma3:1b";
    private Duration managerTimeout = Duration.ofSeconds(30);
    private Duration ollamaTimeout = Duration.ofSeconds(60);

    private Builder(URI managerUrl, String apiKey, URI ollamaUrl) {
      this.managerUrl = managerUrl;
      this.apiKey = apiKey;
      this.ollamaUrl = ollamaUrl;
    }

    public Builder processorId(String value) {
      processorId = value;
      return this;
    }

    public Builder workers(int value) {
      workers = value;
      return this;
    }

    public Builder heartbeatInterval(Duration value) {
      heartbeatInterval = value;
      return this;
    }

    public Builder reconnectDelay(Duration value) {
      reconnectDelay = value;
      return this;
    }

    public Builder completeUnowned(boolean value) {
      completeUnowned = value;
      return this;
    }

    public Builder model(String value) {
      model = value;
      return this;
    }

    public Builder managerTimeout(Duration value) {
      managerTimeout = value;
      return this;
    }

    public Builder ollamaTimeout(Duration value) {
      ollamaTimeout = value;
      return this;
    }

    public StrandingOptions build() {
      return new StrandingOptions(
          managerUrl,
          apiKey,
          ollamaUrl,
          processorId,
          workers,
          heartbeatInterval,
          reconnectDelay,
          completeUnowned,
          model,
          managerTimeout,
          ollamaTimeout);
    }
  }
}
