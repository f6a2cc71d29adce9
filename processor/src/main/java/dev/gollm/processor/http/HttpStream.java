package dev.gollm.processor.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;

/**
 * One streamed exchange: {@link #send()} blocks until the response headers are in, then the body is
 * read from {@link #body()} on the caller's thread. {@link #abort()} may come from any thread at
 * any time: it closes the connection (a server sees its client gone and frees the slot), and the
 * send or the blocked read fails with {@link HttpFailure.Aborted}. {@link #close()} returns the
 * connection to the pool when the body was read to its end, and drops it otherwise: reading an
 * unread rest here could take as long as the server keeps sending.
 */
public final class HttpStream implements AutoCloseable {
  private final CloseableHttpClient client;
  private final HttpCall call;
  private final HttpUriRequestBase request;
  private volatile boolean aborted;
  private ClassicHttpResponse response;
  private Map<String, String> headers = Map.of();
  private Body body;

  HttpStream(CloseableHttpClient client, HttpCall call, HttpUriRequestBase request) {
    this.client = client;
    this.call = call;
    this.request = request;
  }

  /** Sends the request and waits for the response headers; call once. */
  public void send() throws HttpFailure {
    if (response != null) {
      throw new IllegalStateException("already sent: " + call);
    }
    if (aborted) {
      throw new HttpFailure.Aborted(call.method() + " " + call.uri() + ": aborted", null);
    }
    try {
      response = client.executeOpen(null, request, null);
    } catch (IOException e) {
      throw HttpTransport.failure(call, e, aborted);
    } catch (IllegalStateException e) {
      throw new HttpFailure.Aborted(call.method() + " " + call.uri() + ": transport closed", e);
    }
    headers = HttpTransport.headers(response);
    HttpEntity entity = response.getEntity();
    try {
      body = new Body(entity == null ? InputStream.nullInputStream() : entity.getContent());
    } catch (IOException e) {
      throw HttpTransport.failure(call, e, aborted);
    }
    if (aborted) {
      close();
      throw new HttpFailure.Aborted(call.method() + " " + call.uri() + ": aborted", null);
    }
  }

  /** The response's status code; valid after {@link #send()}. */
  public int status() {
    return sent().getCode();
  }

  /** The first value of each response header, names in lower case. */
  Map<String, String> headers() {
    sent();
    return headers;
  }

  /** The first value of a response header; the name in any case. */
  public Optional<String> header(String name) {
    sent();
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The body; its read failures are {@link HttpFailure}s ({@link HttpFailure.Aborted} after an
   * abort, {@link HttpFailure.TimedOut} when a read waited past the call's timeout).
   */
  public InputStream body() {
    sent();
    return body;
  }

  /** Closes the connection from any thread; the send or read in progress ends with Aborted. */
  public void abort() {
    aborted = true;
    request.cancel();
  }

  /** Releases the connection: back to the pool after a body read to its end, dropped otherwise. */
  @Override
  public void close() {
    ClassicHttpResponse r = response;
    if (r == null) {
      return;
    }
    if (body == null || !body.atEnd) {
      request.cancel();
    }
    try {
      r.close();
    } catch (IOException e) {
      // The connection is dropped either way; nothing is left to release.
    }
  }

  private ClassicHttpResponse sent() {
    if (response == null) {
      throw new IllegalStateException("not sent yet: " + call);
    }
    return response;
  }

  /** The body as read by the caller: notes its end, and turns read failures into types. */
  private final class Body extends FilterInputStream {
    private volatile boolean atEnd;

    Body(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        atEnd |= b < 0;
        return b;
      } catch (IOException e) {
        throw HttpTransport.failure(call, e, aborted);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        int n = super.read(buffer, offset, length);
        atEnd |= n < 0;
        return n;
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
