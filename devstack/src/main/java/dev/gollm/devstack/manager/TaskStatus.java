package dev.gollm.devstack.manager;

/** The four states of the manager's {@code tasks.status} column. */
public enum TaskStatus {
  PENDING("pending"),
  PROCESSING("processing"),
  COMPLETED("completed"),
  FAILED("failed");

  private final String wire;

  TaskStatus(String wire) {
    this.wire = wire;
  }

  /** The value stored in the database and written on the wire. */
  public String wire() {
    return wire;
  }

  /** The status for a stored value; fails on anything the schema's CHECK would reject. */
  public static TaskStatus fromWire(String value) {
    for (TaskStatus status : values()) {
      if (status.wire.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown task status '" + value + "'; expected pending, processing, completed or failed");
  }
}
