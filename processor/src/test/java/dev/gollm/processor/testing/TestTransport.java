package dev.gollm.processor.testing;

import dev.gollm.processor.http.HttpTransport;
import java.time.Duration;

/** Transports for tests that build a client by hand: http only, a short connect timeout. */
public final class TestTransport {
  private TestTransport() {}

  public static HttpTransport create() {
    return HttpTransport.create(
        new HttpTransport.Settings(Duration.ofSeconds(5), false, "processor-test", 64));
  }
}
