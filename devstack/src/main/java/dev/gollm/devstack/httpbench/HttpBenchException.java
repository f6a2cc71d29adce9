package dev.gollm.devstack.httpbench;

/** A run of {@code devstack http-clients} that cannot go on: a request or a child JVM failed. */
final class HttpBenchException extends RuntimeException {
  HttpBenchException(String message) {
    super(message);
  }
}
