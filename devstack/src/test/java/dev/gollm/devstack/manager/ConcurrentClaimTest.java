package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.manager.ManagerClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Claims are atomic: many claimers over HTTP never get the same task. */
class ConcurrentClaimTest {
  private static final int CLAIMERS = 20;
  private static final int TASKS = 1_000;

  @RegisterExtension final ManagerExtension manager = new ManagerExtension();

  @Test
  void twentyConcurrentClaimersGetEveryTaskExactlyOnce() throws Exception {
    manager.server().submitMany("task", TASKS);
    ManagerClient client = new ManagerClient(manager.server());
    Map<String, String> ownerByTask = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> claimers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS)) {
      for (int i = 0; i < CLAIMERS; i++) {
        String processor = "proc-" + i;
        // Half of the claimers use the fair path, which takes another code path in the store.
        String extra = i % 2 == 0 ? "" : ",\"use_fair_distribution\":true,\"processor_load\":0.5";
        String body = "{\"processor_id\":\"" + processor + "\",\"batch_size\":7" + extra + "}";
        claimers.add(
            pool.submit(
                () -> {
                  start.await();
                  int claimed = 0;
                  while (true) {
                    Reply reply = client.post("/api/internal/claim", body);
                    assertThat(reply.status()).isEqualTo(200);
                    JsonNode tasks = reply.json().get("tasks");
                    if (tasks.isEmpty()) {
                      return claimed;
                    }
                    for (JsonNode task : tasks) {
                      if (ownerByTask.putIfAbsent(task.get("id").stringValue(), processor)
                          != null) {
                        duplicates.incrementAndGet();
                      }
                      claimed++;
                    }
                  }
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> claimer : claimers) {
        total += claimer.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(TASKS);
    }

    assertThat(duplicates).hasValue(0);
    assertThat(ownerByTask).hasSize(TASKS);
    assertThat(manager.server().count(TaskStatus.PENDING)).isZero();
    for (TaskRecord task : manager.server().allTasks()) {
      assertThat(task.status()).isEqualTo(TaskStatus.PROCESSING);
      assertThat(task.processorId()).isEqualTo(ownerByTask.get(task.id()));
    }
  }
}
