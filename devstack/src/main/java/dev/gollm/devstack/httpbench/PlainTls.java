package dev.gollm.devstack.httpbench;

import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A TLS context without a trust store, for clients whose targets are all http: the JDK's default
 * context loads the trust store (about 0.1 s of CPU at start), which the processor avoids the same
 * way.
 */
final class PlainTls {
  private PlainTls() {}

  static SSLContext withoutTrustStore() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[0], new TrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS context", e);
    }
  }
}
