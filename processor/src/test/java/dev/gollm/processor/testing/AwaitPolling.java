package dev.gollm.processor.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaited conditions are checked at once and then every 20 ms, not after Awaitility's default 100
 * ms delay and interval: an end-to-end test awaits dozens of conditions, each of which would
 * otherwise cost up to a fifth of a second after it already held. Registered for this module's test
 * runs through META-INF/services.
 */
public final class AwaitPolling implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
  }
}
