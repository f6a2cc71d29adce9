package dev.gollm.devstack.bench;

/** The benchmark could not be run as planned (a processor did not start, a port was taken, ...). */
public final class BenchException extends RuntimeException {
  public BenchException(String message) {
    super(message);
  }
}
