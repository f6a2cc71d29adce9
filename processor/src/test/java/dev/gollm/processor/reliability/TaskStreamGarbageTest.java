package dev.gollm.processor.reliability;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import dev.gollm.processor.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task stream carries garbage: undecodable lines and events are skipped without dropping the
 * stream; a line or an event too large to hold is refused once it crosses its bound (the client
 * hangs up instead of buffering it), and the processor reconnects and keeps working.
 */
@Timeout(120)
class TaskStreamGarbageTest {
  private static final Duration NEVER = Duration.ofMinutes(10);
  private static final long FLOOD_BYTES = 64L << 20;

  /** Far below the flood, far above the client's 1 MiB bound plus socket and client buffers. */
  private static final long BOUNDED = 16L << 20;

  /** A task stream whose bytes the test writes, chunk by chunk. */
  private static final class ScriptedStream implements ManagerProxy.Answer {
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private static final byte[] END = new byte[0];

    @Override
    public void respond(HttpExchange exchange, byte[] requestBody, ManagerProxy.Upstream upstream)
        throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.flush();
      connected.countDown();
      try {
        for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
          out.write(chunk);
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void send(byte[] bytes) {
      chunks.add(bytes);
    }

    void send(String text) {
      send(text.getBytes(StandardCharsets.UTF_8));
    }

    void end() {
      chunks.add(END);
    }
  }

  /** A task stream that writes a head, then repeats a chunk until the client hangs up. */
  private static final class Flood implements ManagerProxy.Answer {
    private final byte[] head;
    private final byte[] chunk;
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);

    Flood(String head, String chunk) {
      this.head = head.getBytes(StandardCharsets.UTF_8);
      this.chunk = chunk.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void respond(HttpExchange exchange, byte[] requestBody, ManagerProxy.Upstream upstream)
        throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try {
        OutputStream out = exchange.getResponseBody();
        out.write(head);
        written.addAndGet(head.length);
        while (written.get() < FLOOD_BYTES) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
        out.flush();
      } finally {
        ended.countDown();
      }
    }
  }

  private static String taskAvailable(String taskId, String productData) {
    return "data: {\"type\":\"task_available\",\"data\":{\"ollamaParams\":null,\"priority\":0,"
        + "\"productData\":\""
        + productData
        + "\",\"taskId\":\""
        + taskId
        + "\"},\"timestamp\":1}\n\n";
  }

  private static byte[] garbage() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(
        ("garbage without a colon\n"
                + ": a comment\n"
                + "retry: soon\n"
                + "id: \u0000\n"
                + "data: not json\n\n"
                + "data: [1,2]\n\n"
                + "data: {\"type\":5}\n\n"
                + "data: {\"type\":\"mystery\",\"data\":{}}\n\n"
                + "event: task_available\ndata: {\"type\":\"task_available\",\"data\":{}}\n\n"
                + "data: {\"type\":\"heartbeat\",\"data\":{\"uptime\":\"long\"}}\r\r"
                + "data: ")
            .getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, '\n', '\n'});
    byte[] nearBound = new byte[(1 << 20) - 100];
    Arrays.fill(nearBound, (byte) 'x');
    b.writeBytes("data: ".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(nearBound);
    b.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  @Test
  void garbageLinesAndEventsAreSkippedAndTheStreamKeepsDeliveringWakeUps() throws Exception {
    try (ManagerProxy proxy = ManagerProxy.start();
        TestStack stack = new TestStack()) {
      proxy.forwardTo(stack.manager.baseUri());
      ScriptedStream stream = new ScriptedStream();
      proxy.answerNext("task-stream", 1, stream);
      stack.startProcessor(
          c -> {
            c.workerUrl = proxy.baseUri();
            c.sseEnabled = true;
            c.pollInterval = NEVER;
            c.safetyPollInterval = NEVER;
          });
      stream.connected.await();
      await().atMost(PATIENCE).until(() -> proxy.requests("claim") >= 1);

      stream.send(garbage());
      String id = stack.manager.submit("a mug announced after the garbage");
      int claimsBefore = proxy.requests("claim");
      stream.send(taskAvailable(id, "a mug announced after the garbage"));

      awaitCompleted(stack, List.of(id));
      assertThat(proxy.requests("claim"))
          .as("a claim woken by the event")
          .isGreaterThan(claimsBefore);
      assertThat(proxy.requests("task-stream")).as("the stream was never dropped").isEqualTo(1);
      assertHolds(stack, List.of(id));
      stream.end();
      assertRecovers(stack, 2);
    }
  }

  @Test
  void anEndlessLineIsRefusedAtItsBoundAndTheProcessorReconnects() throws Exception {
    assertFloodIsCutOff(new Flood("data: ", "x".repeat(8192)));
  }

  @Test
  void anEndlessEventOfManyShortDataLinesIsRefusedAtItsBound() throws Exception {
    assertFloodIsCutOff(new Flood("", "data: " + "x".repeat(8000) + "\n"));
  }

  private static void assertFloodIsCutOff(Flood flood) throws Exception {
    try (ManagerProxy proxy = ManagerProxy.start();
        TestStack stack = new TestStack()) {
      proxy.forwardTo(stack.manager.baseUri());
      proxy.answerNext("task-stream", 1, flood);
      stack.startProcessor(
          c -> {
            c.workerUrl = proxy.baseUri();
            c.sseEnabled = true;
          });

      flood.ended.await();
      assertThat(flood.written.get())
          .as("bytes the processor took before hanging up")
          .isLessThan(BOUNDED);
      await().atMost(PATIENCE).until(() -> proxy.requests("task-stream") >= 2);
      assertRecovers(stack, 2);
    }
  }
}
