package dev.gollm.devstack.httpbench;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Helidon WebClient 4 (HTTP/1.1 only: helidon-webclient brings no other protocol), a blocking
 * client written for virtual threads: its own connection cache (not the one Helidon shares between
 * clients by default) keeps connections alive, connect and read timeouts bound each call, no
 * redirects, no {@code Expect: 100-continue}, TLS off (every target is http). Helidon reports
 * failures as unchecked exceptions; they become {@link IOException}s here like the other clients'.
 */
final class HelidonClient implements BenchClient {
  private final WebClient http;

  HelidonClient(Timeouts timeouts) {
    this.http =
        WebClient.builder()
            .connectTimeout(timeouts.connect())
            .readTimeout(timeouts.request())
            .followRedirects(false)
            .keepAlive(true)
            .shareConnectionCache(false)
            .sendExpectContinue(false)
            .tls(tls -> tls.enabled(false))
            .build();
  }

  @Override
  public byte[] post(URI uri, String authorization, byte[] json) throws IOException {
    try (HttpClientResponse response =
        http.post()
            .uri(uri)
            .header(HeaderNames.AUTHORIZATION, authorization)
            .contentType(MediaTypes.APPLICATION_JSON)
            .submit(json)) {
      byte[] body;
      try (InputStream in = response.inputStream()) {
        body = in.readAllBytes();
      }
      if (response.status().code() != 200) {
        throw BenchClient.unexpectedStatus(uri, response.status().code(), body);
      }
      return body;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(uri + ": " + e, e);
    }
  }

  @Override
  public int stream(URI uri, byte[] json) throws IOException {
    try (HttpClientResponse response =
        http.post().uri(uri).contentType(MediaTypes.APPLICATION_JSON).submit(json)) {
      try (InputStream in = response.inputStream()) {
        if (response.status().code() != 200) {
          throw BenchClient.unexpectedStatus(uri, response.status().code(), in.readAllBytes());
        }
        return BenchClient.readToDone(uri, in);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(uri + ": " + e, e);
    }
  }

  /** Closes the client's cached connections (and their monitor threads). */
  @Override
  public void close() {
    http.closeResource();
  }
}
