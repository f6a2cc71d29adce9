package dev.gollm.devstack.soak;

import dev.gollm.devstack.manager.Endpoint;
import dev.gollm.devstack.manager.EndpointFault;
import dev.gollm.devstack.manager.ManagerServer;
import dev.gollm.devstack.ollama.Faults;
import dev.gollm.devstack.ollama.OllamaSimulator;
import java.time.Duration;

/**
 * One fault the soak switches on and off: what it does, and the switch it uses (two faults on the
 * same switch are never on together). An instant fault (a dropped stream) has nothing to undo.
 */
enum SoakFault {
  CLAIM_503(
      "manager: half the claims answer 503",
      "claim",
      (m, o) -> m.faults().set(Endpoint.CLAIM, EndpointFault.failing(503, 0.5)),
      (m, o) -> m.faults().clear(Endpoint.CLAIM)),
  CLAIM_HANG(
      "manager: claims hang (bounded by the hang limit)",
      "claim",
      (m, o) -> m.faults().set(Endpoint.CLAIM, EndpointFault.hanging()),
      (m, o) -> m.faults().clear(Endpoint.CLAIM)),
  HEARTBEAT_500(
      "manager: half the heartbeats answer 500",
      "heartbeat",
      (m, o) -> m.faults().set(Endpoint.HEARTBEAT, EndpointFault.failing(500, 0.5)),
      (m, o) -> m.faults().clear(Endpoint.HEARTBEAT)),
  COMPLETE_503(
      "manager: half the completes answer 503",
      "complete",
      (m, o) -> m.faults().set(Endpoint.COMPLETE, EndpointFault.failing(503, 0.5)),
      (m, o) -> m.faults().clear(Endpoint.COMPLETE)),
  MANAGER_SLOW(
      "manager: every call 300 ms slower",
      "*",
      (m, o) -> m.faults().setAll(EndpointFault.delayed(Duration.ofMillis(300))),
      // A catch-all rule that does nothing: what "no fault" is for the * rule.
      (m, o) -> m.faults().setAll(new EndpointFault(0, 0.0, 0, false))),
  SSE_DROP(
      "manager: every task stream dropped", "sse-drop", (m, o) -> m.dropSseConnections(), null),
  SSE_REFUSED(
      "manager: new task streams refused with 503",
      "sse-refuse",
      (m, o) -> m.faults().refuseSse(true),
      (m, o) -> m.faults().refuseSse(false)),
  OLLAMA_500(
      "ollama: 30% of generations answer 500",
      "ollama-error",
      (m, o) -> o.faults().errorRate(0.3, 500),
      (m, o) -> o.faults().errorRate(0, 500)),
  OLLAMA_BUSY(
      "ollama: 30% of generations answer 503 busy",
      "ollama-error",
      (m, o) -> o.faults().errorRate(0.3, 503),
      (m, o) -> o.faults().errorRate(0, 503)),
  OLLAMA_HANG(
      "ollama: generations hang after taking a slot",
      "ollama-hang",
      (m, o) -> o.faults().hang(Duration.ofSeconds(30)),
      (m, o) -> o.faults().liftHang()),
  OLLAMA_DISCONNECT(
      "ollama: answers cut after 3 tokens",
      "ollama-disconnect",
      (m, o) -> o.faults().disconnectAfterTokens(3),
      (m, o) -> o.faults().disconnectAfterTokens(Faults.OFF)),
  OLLAMA_MALFORMED(
      "ollama: a malformed line after 2 tokens (a whole answer cut short)",
      "ollama-malformed",
      (m, o) -> o.faults().malformedLineAfterTokens(2),
      (m, o) -> o.faults().malformedLineAfterTokens(Faults.OFF)),
  OLLAMA_STALL(
      "ollama: answers stall 3 s after 2 tokens",
      "ollama-stall",
      (m, o) -> o.faults().stallAfterTokens(2, Duration.ofSeconds(3)),
      (m, o) -> o.faults().stallAfterTokens(Faults.OFF, Duration.ZERO));

  /** Turns a fault on or off in the manager and the simulator. */
  @FunctionalInterface
  private interface Switch {
    void apply(ManagerServer manager, OllamaSimulator ollama);
  }

  private final String description;
  private final String channel;
  private final Switch on;
  private final Switch off;

  /**
   * @param off null for an instant fault
   */
  SoakFault(String description, String channel, Switch on, Switch off) {
    this.description = description;
    this.channel = channel;
    this.on = on;
    this.off = off;
  }

  void on(ManagerServer manager, OllamaSimulator ollama) {
    on.apply(manager, ollama);
  }

  void off(ManagerServer manager, OllamaSimulator ollama) {
    if (off != null) {
      off.apply(manager, ollama);
    }
  }

  /** True when the fault happens at once and has nothing to switch off. */
  boolean instant() {
    return off == null;
  }

  String description() {
    return description;
  }

  /** The switch this fault uses; faults on one switch are never on together. */
  String channel() {
    return channel;
  }
}
