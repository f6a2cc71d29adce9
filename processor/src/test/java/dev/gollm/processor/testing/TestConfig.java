package dev.gollm.processor.testing;

import dev.gollm.processor.config.ProcessorConfig;
import dev.gollm.processor.config.ProcessorConfig.ListenAddress;
import dev.gollm.processor.config.ProcessorConfig.LogFormat;
import dev.gollm.processor.config.ProcessorConfig.Secret;
import java.net.URI;
import java.time.Duration;

/** A processor configuration for tests: fast cadences, loopback endpoints, adjustable fields. */
public final class TestConfig {
  public URI ollamaUrl;
  public URI workerUrl;
  public Duration pollInterval = Duration.ofMillis(200);
  public boolean pollingEnabled = true;
  public int maxRetries = 3;
  public Duration requestTimeout = Duration.ofSeconds(10);
  public String modelName = "gemma2:1b";
  public int workerCount = 4;
  public int queueSize = 100;
  public String processorId = "proc-test";
  public Duration heartbeatInterval = Duration.ofMillis(500);
  public int maxBatchSize = 5;
  public String apiKey = "dev-internal-key";
  public boolean workStealingEnabled = false;
  public Duration workStealingInterval = Duration.ofSeconds(1);
  public int workStealingMaxCount = 2;
  public double workStealingMinCapacity = 0.3;
  public boolean sseEnabled = false;
  public Duration sseReconnectInterval = Duration.ofMillis(100);
  public int sseMaxReconnectAttempts = 3;
  public Duration sseHeartbeatTimeout = Duration.ofSeconds(3);
  public Duration sseHeartbeatInterval = Duration.ofSeconds(1);
  public Duration sseMaxDuration = Duration.ofHours(1);
  public int prefetch = -1; // -1: WORKER_COUNT
  public Duration shutdownGrace = Duration.ofSeconds(5);
  public Duration cleanupInterval = Duration.ZERO;
  public Duration safetyPollInterval = Duration.ofSeconds(30);
  public Duration streamIdleTimeout = Duration.ofSeconds(5);
  public Duration pullTimeout = Duration.ofSeconds(30);
  public Duration managerTimeout = Duration.ofSeconds(5);

  public TestConfig(URI workerUrl, URI ollamaUrl) {
    this.workerUrl = workerUrl;
    this.ollamaUrl = ollamaUrl;
  }

  public ProcessorConfig build() {
    return new ProcessorConfig(
        ollamaUrl,
        workerUrl,
        new ListenAddress("127.0.0.1", 0),
        pollInterval,
        pollingEnabled,
        maxRetries,
        requestTimeout,
        modelName,
        workerCount,
        queueSize,
        processorId,
        heartbeatInterval,
        maxBatchSize,
        new Secret(apiKey),
        workStealingEnabled,
        workStealingInterval,
        workStealingMaxCount,
        workStealingMinCapacity,
        sseEnabled,
        "/api/internal/task-stream",
        sseReconnectInterval,
        sseMaxReconnectAttempts,
        sseHeartbeatTimeout,
        sseHeartbeatInterval,
        sseMaxDuration,
        prefetch < 0 ? workerCount : prefetch,
        shutdownGrace,
        cleanupInterval,
        safetyPollInterval,
        streamIdleTimeout,
        pullTimeout,
        managerTimeout,
        LogFormat.TEXT,
        "info");
  }
}
