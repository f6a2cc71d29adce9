package dev.gollm.devstack.manager;

import java.time.Duration;

/**
 * What to do to requests of one endpoint: wait {@code latencyMs} first, then hang while {@code
 * hang} is set (until lifted, the server closes, or the server's hang limit passes), then answer
 * {@code status} instead of the real response with probability {@code rate}. {@code status} 0 means
 * no injected status.
 */
public record EndpointFault(int status, double rate, long latencyMs, boolean hang) {
  public EndpointFault {
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException(
          "fault status must be 0 (none) or 400..599, got " + status);
    }
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("fault rate must be within 0..1, got " + rate);
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("fault latency must be >= 0 ms, got " + latencyMs);
    }
  }

  /** Answer {@code status} to a {@code rate} share of requests (1.0: all of them). */
  public static EndpointFault failing(int status, double rate) {
    return new EndpointFault(status, rate, 0, false);
  }

  /** Delay every request by {@code latency}, then answer normally. */
  public static EndpointFault delayed(Duration latency) {
    return new EndpointFault(0, 0.0, latency.toMillis(), false);
  }

  /** Stop answering until the fault is lifted. */
  public static EndpointFault hanging() {
    return new EndpointFault(0, 0.0, 0, true);
  }

  public EndpointFault withLatency(Duration latency) {
    return new EndpointFault(status, rate, latency.toMillis(), hang);
  }

  public EndpointFault withHang(boolean newHang) {
    return new EndpointFault(status, rate, latencyMs, newHang);
  }
}
