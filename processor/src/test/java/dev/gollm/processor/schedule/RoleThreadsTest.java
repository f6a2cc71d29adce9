package dev.gollm.processor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoleThreadsTest {

  @Test
  void aRoleRunsOnANamedPlatformDaemonThread() throws Exception {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    Thread thread = RoleThreads.unstarted("worker-0", () -> ranOn.complete(Thread.currentThread()));

    thread.start();

    Thread running = ranOn.get(10, TimeUnit.SECONDS);
    assertThat(running).isSameAs(thread);
    assertThat(running.isVirtual()).isFalse();
    assertThat(running.isDaemon()).isTrue();
    assertThat(running.getName()).isEqualTo("worker-0");
  }

  @Test
  void onDemandJobsRunOnPlatformDaemonThreadsNamedByThePrefix() throws Exception {
    ExecutorService reporters = RoleThreads.onDemand("reporter");
    try {
      Thread ranOn = reporters.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

      assertThat(ranOn.isVirtual()).isFalse();
      assertThat(ranOn.isDaemon()).isTrue();
      assertThat(ranOn.getName()).startsWith("reporter-");
    } finally {
      reporters.shutdownNow();
    }
  }
}
