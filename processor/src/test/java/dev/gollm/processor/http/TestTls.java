package dev.gollm.processor.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for tests: a self-signed server certificate for 127.0.0.1 and localhost (the key store {@code
 * tls-test-server.p12} beside this class, valid until 2126), and a client that trusts it alone.
 */
final class TestTls {
  private static final char[] PASSWORD = "test-only".toCharArray();

  private final SSLServerSocketFactory serverSockets;
  private final SSLSocketFactory clientSockets;

  private TestTls(SSLServerSocketFactory serverSockets, SSLSocketFactory clientSockets) {
    this.serverSockets = serverSockets;
    this.clientSockets = clientSockets;
  }

  static TestTls load() throws IOException {
    try (InputStream in = TestTls.class.getResourceAsStream("tls-test-server.p12")) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD);
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD);
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(keyManagers.getKeyManagers(), null, null);

      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", keys.getCertificate("server"));
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, trustManagers.getTrustManagers(), null);
      return new TestTls(server.getServerSocketFactory(), client.getSocketFactory());
    } catch (GeneralSecurityException e) {
      throw new IOException("the test key store could not be loaded", e);
    }
  }

  /** Listening sockets that present the test certificate. */
  SSLServerSocketFactory serverSockets() {
    return serverSockets;
  }

  /** Client sockets that trust the test certificate and nothing else. */
  SSLSocketFactory clientSockets() {
    return clientSockets;
  }
}
