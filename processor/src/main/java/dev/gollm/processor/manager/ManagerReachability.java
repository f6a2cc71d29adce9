package dev.gollm.processor.manager;

/** Hears whether each manager call reached the manager (readiness listens). */
public interface ManagerReachability {
  /** The manager answered. */
  void reached();

  /** The manager could not be reached or refused us; {@code reason} says how. */
  void unreachable(String reason);
}
