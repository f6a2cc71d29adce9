package dev.gollm.processor.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streamed exchange: {@link #send()} blocks until the response headers are in, then the body is
 * read from {@link #body()} on the caller's thread. {@link #abort()} may come from any thread at
 * any time: it closes the connection (a server sees its client gone and frees the slot), and the
 * send or the blocked read fails with {@link HttpFailure.Aborted}. {@link #close()} returns the
 * connection to the pool when the body was read to its end, and drops it otherwise: reading an
 * unread rest here could take as long as the server keeps sending.
 */
public final class HttpStream implements AutoCloseable {
  private final ConnectionPool pool;
  private final HttpCall call;
  private final String userAgent;
  private final Runnable written;

  /** Orders an abort from another thread against the owner's send and release. */
  private final ReentrantLock lock = new ReentrantLock();

  private volatile boolean aborted;
  private Connection connection;
  private boolean released;
  private ResponseHead head;
  private ResponseBody responseBody;
  private Body body;

  /**
   * @param written runs on the sending thread once the request is written, before its answer is
   *     awaited
   */
  HttpStream(ConnectionPool pool, HttpCall call, String userAgent, Runnable written) {
    this.pool = pool;
    this.call = call;
    this.userAgent = userAgent;
    this.written = written;
  }

  /** Sends the request and waits for the response headers; call once. */
  public void send() throws HttpFailure {
    if (head != null || released) {
      throw new IllegalStateException("already sent: " + call);
    }
    if (aborted) {
      throw aborted("aborted");
    }
    Connection c;
    try {
      c = pool.lease(Connection.Target.of(call.uri()));
    } catch (IOException e) {
      throw HttpTransport.failure(call, e, aborted);
    }
    lock.lock();
    try {
      connection = c;
    } finally {
      lock.unlock();
    }
    if (aborted) { // an abort that came while the connection was being found
      close();
      throw aborted("aborted");
    }
    try {
      c.readTimeout(call.timeout());
      c.write(call, userAgent);
      written.run();
      head = c.readHead();
      responseBody = c.body(head, call.method());
    } catch (IOException e) {
      close();
      throw HttpTransport.failure(call, e, aborted);
    }
    body = new Body(responseBody);
  }

  private HttpFailure.Aborted aborted(String why) {
    return new HttpFailure.Aborted(call.method() + " " + call.uri() + ": " + why, null);
  }

  /** The response's status code; valid after {@link #send()}. */
  public int status() {
    return sent().status();
  }

  /** The first value of each response header, names in lower case. */
  Map<String, String> headers() {
    return sent().headers();
  }

  /** The first value of a response header; the name in any case. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(sent().headers().get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The body; its read failures are {@link HttpFailure}s ({@link HttpFailure.Aborted} after an
   * abort, {@link HttpFailure.TimedOut} when a read waited past the call's timeout).
   */
  public InputStream body() {
    sent();
    return body;
  }

  /** Whether the body was read to its framed end, so that closing returns the connection. */
  public boolean readToTheEnd() {
    return responseBody != null && responseBody.leftConnectionReusable();
  }

  /** Closes the connection from any thread; the send or read in progress ends with Aborted. */
  public void abort() {
    lock.lock();
    try {
      aborted = true;
      // Once released, the connection may serve another call: it is not this stream's to close.
      if (connection != null && !released) {
        connection.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Releases the connection: back to the pool after a body read to its end, dropped otherwise. */
  @Override
  public void close() {
    Connection c;
    lock.lock();
    try {
      c = connection;
      if (c == null || released) {
        return;
      }
      released = true;
    } finally {
      lock.unlock();
    }
    boolean reusable =
        !aborted
            && head != null
            && head.keepAlive()
            && responseBody != null
            && responseBody.leftConnectionReusable();
    pool.release(c, reusable);
  }

  private ResponseHead sent() {
    if (head == null) {
      throw new IllegalStateException("not sent yet: " + call);
    }
    return head;
  }

  /** The body as read by the caller: turns read failures into types. */
  private final class Body extends FilterInputStream {
    Body(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw HttpTransport.failure(call, e, aborted);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (IOException e) {
        throw HttpTransport.failure(call, e, aborted);
      }
    }

    @Override
    public void close() {
      HttpStream.this.close();
    }
  }
}
