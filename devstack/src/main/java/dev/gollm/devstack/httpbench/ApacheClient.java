package dev.gollm.devstack.httpbench;

import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5, the classic (blocking) API: a pooled connection manager (keep-alive, up to 8
 * connections per target), connect and socket-read timeouts, no retries, no redirects, no cookies,
 * no compression negotiation (the JDK client sends none either), and like the JDK client a TLS
 * context without a trust store. A response handler reads each answer to its end, so the connection
 * goes back to the pool.
 */
final class ApacheClient implements BenchClient {
  private static final ContentType JSON = ContentType.APPLICATION_JSON;

  private final CloseableHttpClient http;

  ApacheClient(Timeouts timeouts) {
    Timeout connect = Timeout.of(timeouts.connect());
    Timeout read = Timeout.of(timeouts.request());
    this.http =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(8)
                    .setMaxConnTotal(16)
                    .setTlsSocketStrategy(
                        new DefaultClientTlsStrategy(PlainTls.withoutTrustStore()))
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(connect)
                            .setSocketTimeout(read)
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(connect)
                    .setResponseTimeout(read)
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableContentCompression()
            .build();
  }

  @Override
  public byte[] post(URI uri, String authorization, byte[] json) throws IOException {
    HttpPost post = new HttpPost(uri);
    post.setHeader("Authorization", authorization);
    post.setEntity(new ByteArrayEntity(json, JSON));
    return http.execute(
        post,
        response -> {
          byte[] body = bytes(response.getEntity());
          if (response.getCode() != 200) {
            throw BenchClient.unexpectedStatus(uri, response.getCode(), body);
          }
          return body;
        });
  }

  @Override
  public int stream(URI uri, byte[] json) throws IOException {
    HttpPost post = new HttpPost(uri);
    post.setEntity(new ByteArrayEntity(json, JSON));
    return http.execute(post, (ClassicHttpResponse response) -> lines(uri, response));
  }

  private static int lines(URI uri, ClassicHttpResponse response) throws IOException {
    if (response.getCode() != 200) {
      throw BenchClient.unexpectedStatus(uri, response.getCode(), bytes(response.getEntity()));
    }
    if (response.getEntity() == null) {
      throw new IOException(uri + ": an answer without a body");
    }
    return BenchClient.readToDone(uri, response.getEntity().getContent());
  }

  private static byte[] bytes(HttpEntity entity) throws IOException {
    return entity == null ? new byte[0] : entity.getContent().readAllBytes();
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
