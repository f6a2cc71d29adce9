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
  CLAIM_503("manager: half the claims answer 503", "claim") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().set(Endpoint.CLAIM, EndpointFault.failing(503, 0.5));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().clear(Endpoint.CLAIM);
    }
  },
  CLAIM_HANG("manager: claims hang (bounded by the hang limit)", "claim") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().set(Endpoint.CLAIM, EndpointFault.hanging());
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().clear(Endpoint.CLAIM);
    }
  },
  HEARTBEAT_500("manager: half the heartbeats answer 500", "heartbeat") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().set(Endpoint.HEARTBEAT, EndpointFault.failing(500, 0.5));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().clear(Endpoint.HEARTBEAT);
    }
  },
  COMPLETE_503("manager: half the completes answer 503", "complete") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().set(Endpoint.COMPLETE, EndpointFault.failing(503, 0.5));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().clear(Endpoint.COMPLETE);
    }
  },
  MANAGER_SLOW("manager: every call 300 ms slower", "*") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().setAll(EndpointFault.delayed(Duration.ofMillis(300)));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().setAll(NO_FAULT);
    }
  },
  SSE_DROP("manager: every task stream dropped", "sse-drop") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.dropSseConnections();
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {}

    @Override
    boolean instant() {
      return true;
    }
  },
  SSE_REFUSED("manager: new task streams refused with 503", "sse-refuse") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      m.faults().refuseSse(true);
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      m.faults().refuseSse(false);
    }
  },
  OLLAMA_500("ollama: 30% of generations answer 500", "ollama-error") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().errorRate(0.3, 500);
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().errorRate(0, 500);
    }
  },
  OLLAMA_BUSY("ollama: 30% of generations answer 503 busy", "ollama-error") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().errorRate(0.3, 503);
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().errorRate(0, 503);
    }
  },
  OLLAMA_HANG("ollama: generations hang after taking a slot", "ollama-hang") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().hang(Duration.ofSeconds(30));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().liftHang();
    }
  },
  OLLAMA_DISCONNECT("ollama: streams cut after 3 tokens", "ollama-disconnect") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().disconnectAfterTokens(3);
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().disconnectAfterTokens(Faults.OFF);
    }
  },
  OLLAMA_MALFORMED("ollama: a malformed line after 2 tokens", "ollama-malformed") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().malformedLineAfterTokens(2);
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().malformedLineAfterTokens(Faults.OFF);
    }
  },
  OLLAMA_STALL("ollama: streams stall 3 s after 2 tokens", "ollama-stall") {
    @Override
    void on(ManagerServer m, OllamaSimulator o) {
      o.faults().stallAfterTokens(2, Duration.ofSeconds(3));
    }

    @Override
    void off(ManagerServer m, OllamaSimulator o) {
      o.faults().stallAfterTokens(Faults.OFF, Duration.ZERO);
    }
  };

  /** A catch-all rule that does nothing: what "no fault" is for the {@code *} rule. */
  private static final EndpointFault NO_FAULT = new EndpointFault(0, 0.0, 0, false);

  private final String description;
  private final String channel;

  SoakFault(String description, String channel) {
    this.description = description;
    this.channel = channel;
  }

  abstract void on(ManagerServer manager, OllamaSimulator ollama);

  abstract void off(ManagerServer manager, OllamaSimulator ollama);

  /** True when the fault happens at once and has nothing to switch off. */
  boolean instant() {
    return false;
  }

  String description() {
    return description;
  }

  /** The switch this fault uses; faults on one switch are never on together. */
  String channel() {
    return channel;
  }
}
