package dev.gollm.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.config.ProcessorPolicy.BackoffLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessorPolicyTest {
  private static ProcessorConfig config() throws ConfigException {
    return ConfigLoader.fromEnvironment(Map.of("SHUTDOWN_GRACE", "45s"));
  }

  private static ProcessorPolicy withProperties(Map<String, String> properties)
      throws ConfigException {
    return ProcessorPolicy.from(config(), properties::get);
  }

  @Test
  void withoutPropertiesThePolicyIsTheDefaultsPlusTheConfiguration() throws Exception {
    ProcessorPolicy policy = withProperties(Map.of());

    assertThat(policy.generationBackoff())
        .isEqualTo(new BackoffLimits(Duration.ofMillis(500), Duration.ofSeconds(30)));
    assertThat(policy.claimErrorBackoff())
        .isEqualTo(new BackoffLimits(Duration.ofSeconds(1), Duration.ofSeconds(60)));
    assertThat(policy.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
    assertThat(policy.reportDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.requeueMemorySize()).isEqualTo(10_000);
  }

  @Test
  void theOwnershipWindowIsOneHeartbeatIntervalAtMostThirtySeconds() throws Exception {
    ProcessorPolicy usual = withProperties(Map.of()); // HEARTBEAT_INTERVAL 15 s
    ProcessorPolicy quick =
        ProcessorPolicy.from(
            ConfigLoader.fromEnvironment(Map.of("HEARTBEAT_INTERVAL", "2s")), name -> null);
    ProcessorPolicy slow =
        ProcessorPolicy.from(
            ConfigLoader.fromEnvironment(Map.of("HEARTBEAT_INTERVAL", "50s")), name -> null);

    assertThat(usual.ownershipWindow()).isEqualTo(Duration.ofSeconds(15));
    assertThat(quick.ownershipWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(slow.ownershipWindow()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aSystemPropertyReplacesItsDefaultOnly() throws Exception {
    ProcessorPolicy policy =
        withProperties(
            Map.of(
                "processor.policy.generationBackoff.base", "50ms",
                "processor.policy.reportDeadline", "1.5s",
                "processor.policy.requeueMemorySize", "7"));

    assertThat(policy.generationBackoff())
        .isEqualTo(new BackoffLimits(Duration.ofMillis(50), Duration.ofSeconds(30)));
    assertThat(policy.reportDeadline()).isEqualTo(Duration.ofMillis(1500));
    assertThat(policy.requeueMemorySize()).isEqualTo(7);
    assertThat(policy.reportBackoff())
        .isEqualTo(new BackoffLimits(Duration.ofMillis(500), Duration.ofSeconds(30)));
    assertThat(policy.abandonWait()).isEqualTo(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "0", "-1s", "10"})
  void aDurationPropertyThatIsNotAPositiveDurationIsRefusedByName(String value) {
    assertThatThrownBy(() -> withProperties(Map.of("processor.policy.abandonWait", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processor.policy.abandonWait")
        .hasMessageContaining("\"" + value + "\"")
        .hasMessageContaining("expected a positive duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"many", "0", "-3", "1.5"})
  void aCountPropertyThatIsNotAPositiveWholeNumberIsRefusedByName(String value) {
    assertThatThrownBy(() -> withProperties(Map.of("processor.policy.requeueMemorySize", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processor.policy.requeueMemorySize")
        .hasMessageContaining("expected a positive whole number");
  }
}
