package dev.gollm.devstack.manager;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processors' task stream ({@code GET /api/internal/task-stream}) framed as the manager frames
 * it: every event is {@code data: {"type":...,"data":{...},"timestamp":...}\n\n}. Each connection
 * is served by its own (virtual) request thread, which drains a bounded {@link SseMailbox};
 * broadcasts only offer to the mailboxes and never block.
 */
final class TaskStreamHub {
  private static final Logger LOG = LoggerFactory.getLogger(TaskStreamHub.class);

  /** The manager sends a fixed complexity with replayed tasks. */
  static final int ESTIMATED_COMPLEXITY = 3;

  /** The manager replays at most this many pending tasks to a new connection. */
  static final int REPLAY_LIMIT = 10;

  private final InstantSource clock;
  private final int bufferSize;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private record Connection(String processorId, SseMailbox mailbox) {}

  TaskStreamHub(InstantSource clock, int bufferSize) {
    this.clock = clock;
    this.bufferSize = bufferSize;
  }

  /** Announces a created task to every open stream ({@code task_available}). */
  void broadcast(TaskRecord task) {
    if (connections.isEmpty()) {
      return;
    }
    byte[] event =
        event(
            "task_available",
            WireJson.sortedObject(
                "ollamaParams", paramsOrNull(task),
                "priority", task.priority(),
                "productData", task.productData(),
                "taskId", task.id()));
    for (Connection connection : connections) {
      connection.mailbox().offer(event);
    }
  }

  int connectionCount() {
    return connections.size();
  }

  /** Ends every open stream now; returns how many there were. Clients see end of stream. */
  int dropAll() {
    int dropped = 0;
    for (Connection connection : connections) {
      connection.mailbox().close();
      dropped++;
    }
    return dropped;
  }

  /** Ends every stream and refuses new ones, for shutdown. */
  void close() {
    closed = true;
    dropAll();
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Serves one stream until it is dropped, the server closes or the client goes away. Sends the
   * {@code Connected} heartbeat, replays up to 10 pending tasks, then heartbeats every {@code
   * heartbeatMs}; at the first tick after {@code maxDurationMs} it sends the timeout error and
   * stops heartbeating, but keeps the stream open for broadcasts, as the manager does.
   */
  void serve(
      HttpExchange exchange,
      String processorId,
      long heartbeatMs,
      long maxDurationMs,
      Supplier<List<TaskRecord>> pendingTasks)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/event-stream");
    headers.set("Cache-Control", "no-cache");
    headers.set("Connection", "keep-alive");
    headers.set("X-Accel-Buffering", "no");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Access-Control-Allow-Origin", "*");
    headers.set("Access-Control-Allow-Credentials", "true");
    headers.set("Access-Control-Allow-Headers", "Cache-Control");
    exchange.sendResponseHeaders(200, 0);
    Connection connection = new Connection(processorId, new SseMailbox(bufferSize));
    connections.add(connection);
    if (closed) {
      connection.mailbox().close();
    }
    long startNanos = System.nanoTime();
    long heartbeatNanos = heartbeatMs * 1_000_000L;
    try (OutputStream out = exchange.getResponseBody()) {
      write(out, event("heartbeat", WireJson.sortedObject("message", "Connected")));
      replay(connection, pendingTasks);
      long nextTick = startNanos + heartbeatNanos;
      boolean timedOut = false;
      byte[][] slot = new byte[1][];
      while (true) {
        SseMailbox.Wake wake =
            connection.mailbox().next(timedOut ? Long.MAX_VALUE : nextTick, slot);
        if (wake == SseMailbox.Wake.CLOSED) {
          break;
        }
        if (wake == SseMailbox.Wake.EVENT) {
          write(out, slot[0]);
          slot[0] = null;
          continue;
        }
        long uptimeMs = (System.nanoTime() - startNanos) / 1_000_000L;
        if (uptimeMs >= maxDurationMs) {
          write(
              out,
              event(
                  "error",
                  WireJson.sortedObject(
                      "error", "Connection timeout exceeded",
                      "maxDuration", maxDurationMs,
                      "processorId", processorId)));
          timedOut = true;
        } else {
          write(out, event("heartbeat", WireJson.sortedObject("uptime", uptimeMs)));
        }
        long now = System.nanoTime();
        do {
          nextTick += heartbeatNanos;
        } while (nextTick - now <= 0);
      }
    } catch (IOException e) {
      LOG.debug("task stream of {} ended: {}", processorId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.remove(connection);
      connection.mailbox().close();
    }
  }

  private void replay(Connection connection, Supplier<List<TaskRecord>> pendingTasks) {
    List<TaskRecord> pending;
    try {
      pending = pendingTasks.get();
    } catch (StoreException e) {
      LOG.warn("could not read pending tasks for the replay: {}", e.getMessage());
      return;
    }
    for (TaskRecord task : pending) {
      connection
          .mailbox()
          .offer(
              event(
                  "task_available",
                  WireJson.sortedObject(
                      "estimatedComplexity", ESTIMATED_COMPLEXITY,
                      "ollamaParams", paramsOrNull(task),
                      "priority", task.priority(),
                      "productData", task.productData(),
                      "taskId", task.id())));
    }
  }

  private static Object paramsOrNull(TaskRecord task) {
    String params = task.ollamaParams();
    return params == null || params.isEmpty() ? null : params;
  }

  private byte[] event(String type, ObjectNode data) {
    ObjectNode envelope = WireJson.NODES.objectNode();
    envelope.put("type", type);
    envelope.set("data", data);
    envelope.put("timestamp", clock.millis());
    return WireJson.utf8("data: " + WireJson.compact(envelope) + "\n\n");
  }

  private static void write(OutputStream out, byte[] event) throws IOException {
    out.write(event);
    out.flush();
  }
}
