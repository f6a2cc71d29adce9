package dev.gollm.processor.http;

import dev.gollm.processor.http.Connection.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;

/**
 * The open connections of one transport: at most {@code maxConnections} in all, idle ones kept per
 * target for reuse (the most recently used first). Nothing runs on its own: a connection idle for
 * longer than a second is checked when it is next taken, not swept by a timer.
 */
final class ConnectionPool implements AutoCloseable {
  private final Semaphore permits;
  private final int maxConnections;
  private final Duration connectTimeout;
  private final SSLSocketFactory tls;
  private final long validateAfterIdleNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Target, ArrayDeque<Connection>> idle = new HashMap<>();
  private final Set<Connection> leased = new HashSet<>();
  private boolean closed;

  /**
   * @param tls the socket factory for https targets, null when no target is https
   * @param validateAfterIdle a pooled connection unused this long is checked before a request goes
   *     out on it: servers close idle keep-alive connections, and a POST must not be written into a
   *     dead one
   */
  ConnectionPool(
      int maxConnections,
      Duration connectTimeout,
      SSLSocketFactory tls,
      Duration validateAfterIdle) {
    this.permits = new Semaphore(maxConnections);
    this.maxConnections = maxConnections;
    this.connectTimeout = connectTimeout;
    this.tls = tls;
    this.validateAfterIdleNanos = validateAfterIdle.toNanos();
  }

  /**
   * A connection to {@code target}: an idle one still open, or a new one once fewer than the most
   * are open (waiting at most the connect timeout for one to free up).
   *
   * @throws HttpFailure.Aborted when the pool is closed or the thread interrupted
   */
  Connection lease(Target target) throws IOException {
    for (Connection c = takeIdle(target); c != null; c = takeIdle(target)) {
      if (System.nanoTime() - c.idleSinceNanos() < validateAfterIdleNanos || !c.isStale()) {
        return c;
      }
      discard(c);
    }
    acquirePermit(target);
    Connection opened;
    try {
      opened = Connection.open(target, connectTimeout, tls);
    } catch (IOException | RuntimeException e) {
      permits.release();
      throw e;
    }
    lock.lock();
    try {
      if (!closed) {
        leased.add(opened);
        return opened;
      }
    } finally {
      lock.unlock();
    }
    discard(opened);
    throw new HttpFailure.Aborted(target + ": transport closed", null);
  }

  /** Takes back a leased connection: kept for reuse when {@code reusable}, closed otherwise. */
  void release(Connection c, boolean reusable) {
    lock.lock();
    try {
      leased.remove(c);
      if (reusable && !closed && !c.isClosed()) {
        c.idleSince(System.nanoTime());
        idle.computeIfAbsent(c.target(), t -> new ArrayDeque<>()).push(c);
        return;
      }
    } finally {
      lock.unlock();
    }
    discard(c);
  }

  /** Closes every connection, idle or in use; calls in flight fail, new ones are refused. */
  @Override
  public void close() {
    List<Connection> all = new ArrayList<>();
    lock.lock();
    try {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
      all.addAll(leased);
    } finally {
      lock.unlock();
    }
    all.forEach(Connection::close);
  }

  private Connection takeIdle(Target target) throws HttpFailure.Aborted {
    lock.lock();
    try {
      if (closed) {
        throw new HttpFailure.Aborted(target + ": transport closed", null);
      }
      ArrayDeque<Connection> connections = idle.get(target);
      Connection c = connections == null ? null : connections.poll();
      if (c != null) {
        leased.add(c);
      }
      return c;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Room for one more open connection: a free permit, else an idle one to another target closed.
   */
  private void acquirePermit(Target target) throws IOException {
    if (permits.tryAcquire()) {
      return;
    }
    Connection other = takeAnyIdle();
    if (other != null) {
      discard(other);
    }
    try {
      if (!permits.tryAcquire(connectTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new HttpFailure.TimedOut(
            target
                + ": all "
                + maxConnections
                + " connections stayed in use for "
                + connectTimeout.toMillis()
                + " ms",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpFailure.Aborted(target + ": interrupted waiting for a connection", e);
    }
  }

  private Connection takeAnyIdle() {
    lock.lock();
    try {
      for (ArrayDeque<Connection> connections : idle.values()) {
        Connection c = connections.pollLast();
        if (c != null) {
          leased.add(c);
          return c;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Closes a leased connection and frees its room. */
  private void discard(Connection c) {
    lock.lock();
    try {
      leased.remove(c);
    } finally {
      lock.unlock();
    }
    c.close();
    permits.release();
  }
}
