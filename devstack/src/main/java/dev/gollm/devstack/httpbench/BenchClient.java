package dev.gollm.devstack.httpbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP client library, driven the way the processor drives its client: small JSON POSTs to the
 * manager and streamed NDJSON chats from Ollama, from virtual threads, over kept-alive HTTP/1.1
 * connections. Every call is bounded by the timeouts the client was built with.
 */
interface BenchClient extends AutoCloseable {
  /**
   * POSTs {@code json} with {@code authorization} and returns the answer's body.
   *
   * @throws IOException on a transport failure or timeout, or an answer other than 200
   */
  byte[] post(URI uri, String authorization, byte[] json) throws IOException, InterruptedException;

  /**
   * POSTs {@code json} and reads the NDJSON answer line by line to its end; the number of lines.
   *
   * @throws IOException on a transport failure or timeout, an answer other than 200, or a stream
   *     whose last line is not the {@code "done":true} object
   */
  int stream(URI uri, byte[] json) throws IOException, InterruptedException;

  @Override
  void close() throws IOException;

  /**
   * Reads an NDJSON stream to its end (past the done object, so the connection can go back to the
   * pool); the number of lines.
   */
  static int readToDone(URI uri, InputStream body) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    int count = 0;
    String last = null;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!line.isBlank()) {
        count++;
        last = line;
      }
    }
    if (last == null || !last.contains("\"done\":true")) {
      throw new IOException(
          uri + ": the stream ended after " + count + " lines without the done object");
    }
    return count;
  }

  /** The failure for an answer other than 200. */
  static IOException unexpectedStatus(URI uri, int status, byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return new IOException(uri + ": HTTP " + status + " (expected 200): " + text);
  }
}
