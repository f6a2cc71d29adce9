package dev.gollm.devstack.httpbench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@link HttpClient}, built and called as the processor does (Processor.httpClient,
 * ManagerClient.post, StreamingExchange): HTTP/1.1, an executor of virtual threads, a TLS context
 * without a trust store (every target is http), no redirects; manager answers read through {@code
 * ofInputStream}, chats sent with {@code sendAsync} and read from the body stream.
 */
final class JdkClient implements BenchClient {
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final Timeouts timeouts;

  JdkClient(Timeouts timeouts) {
    this.timeouts = timeouts;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeouts.connect())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .sslContext(PlainTls.withoutTrustStore())
            .build();
  }

  @Override
  public byte[] post(URI uri, String authorization, byte[] json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeouts.request())
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readAllBytes();
    }
    if (response.statusCode() != 200) {
      throw BenchClient.unexpectedStatus(uri, response.statusCode(), body);
    }
    return body;
  }

  @Override
  public int stream(URI uri, byte[] json) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeouts.request())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw BenchClient.unexpectedStatus(uri, response.statusCode(), in.readAllBytes());
      }
      return BenchClient.readToDone(uri, in);
    }
  }

  @Override
  public void close() {
    http.close();
    executor.close();
  }
}
