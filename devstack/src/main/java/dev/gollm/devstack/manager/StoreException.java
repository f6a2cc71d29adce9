package dev.gollm.devstack.manager;

/** A database operation of the manager failed; handlers answer it with their 500 message. */
public final class StoreException extends RuntimeException {
  StoreException(String operation, Throwable cause) {
    super(operation + " failed: " + cause.getMessage(), cause);
  }
}
