package dev.gollm.processor.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ServerSocketFactory;

/**
 * A server that answers each request with the bytes a test gives, exactly, on its own sockets: for
 * what a well-behaved server never sends, and to see and close the connections from the server's
 * side. Plain HTTP, or HTTPS when built with a TLS server socket factory.
 */
final class RawServer implements AutoCloseable {
  private final ServerSocket listener;
  private final String scheme;
  private final Function<String, String> answer;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** {@code answer} maps a request line to the raw answer, head and body. */
  RawServer(Function<String, String> answer) throws IOException {
    this(answer, ServerSocketFactory.getDefault(), "http");
  }

  /** An HTTPS server; {@code tls} makes its listening socket (see {@link TestTls}). */
  static RawServer tls(Function<String, String> answer, ServerSocketFactory tls)
      throws IOException {
    return new RawServer(answer, tls, "https");
  }

  private RawServer(Function<String, String> answer, ServerSocketFactory sockets, String scheme)
      throws IOException {
    this.listener = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.scheme = scheme;
    this.answer = answer;
    this.acceptor = Thread.ofVirtual().start(this::accept);
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + listener.getLocalPort() + path);
  }

  /** The connections accepted so far. */
  List<Socket> connections() {
    return accepted;
  }

  private void accept() {
    try {
      while (true) {
        Socket s = listener.accept();
        accepted.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      }
    } catch (IOException e) {
      // closed: the test is over
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      while (true) {
        String requestLine = null;
        int length = 0;
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
          if (requestLine == null) {
            requestLine = line;
          } else if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        if (requestLine == null) {
          return;
        }
        in.readNBytes(length);
        s.getOutputStream().write(answer.apply(requestLine).getBytes(ISO_8859_1));
        s.getOutputStream().flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : accepted) {
      s.close();
    }
    acceptor.interrupt();
  }
}
