package dev.gollm.devstack.manager;

/**
 * A request body that Go's {@code encoding/json} would refuse: empty, malformed, or a known field
 * of the wrong type. The manager answers it with 400 {@code Invalid JSON}.
 */
final class InvalidJsonException extends Exception {
  InvalidJsonException(String detail) {
    super(detail);
  }
}
