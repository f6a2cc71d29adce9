package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class CpuReadingsTest {
  @Test
  void jvmThreadsAreSortedIntoJitGcAndOtherByName() {
    assertThat(ThreadCpu.kindOf("C2 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
    assertThat(ThreadCpu.kindOf("C1 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
    assertThat(ThreadCpu.kindOf("VM Thread")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kindOf("GC Thread#0")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kindOf("ForkJoinPool-1-")).isEqualTo(ThreadCpu.Kind.OTHER);
    assertThat(ThreadCpu.kindOf("HttpClient-1-Se")).isEqualTo(ThreadCpu.Kind.OTHER);
  }

  @Test
  void aThreadsSchedstatGivesItsRunTimeInNanoseconds() {
    assertThat(ThreadCpu.parseRunNanos("123456789 2000 7\n")).isEqualTo(123_456_789L);
    assertThat(ThreadCpu.parseRunNanos("")).isEqualTo(-1);
    assertThat(ThreadCpu.parseRunNanos("n/a")).isEqualTo(-1);
  }

  @Test
  void theCpuLineOfProcStatGivesTicksPerState() {
    assertThat(CpuClock.parseCpuLine("cpu  10 2 30 400 5 0 1 0 0 0"))
        .containsExactly(10, 2, 30, 400, 5, 0, 1, 0, 0, 0);
    assertThat(CpuClock.parseCpuLine("cpu  x")).isEmpty();
  }

  @Test
  void twoReadingsGiveTheBusyShareOfTheMachine() {
    CpuClock before = new CpuClock(100, 1000, 0, 0);
    CpuClock after = new CpuClock(150, 1100, 50_000_000, 100_000_000);

    assertThat(after.machineBusyShareSince(before)).isEqualTo(0.5);
    assertThat(after.selfCoresSince(before)).isEqualTo(0.5);
    assertThat(after.machineBusyShareSince(new CpuClock(-1, -1, -1, 0))).isNaN();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aThreadThatBlocksAndIsWokenCountsItsWakeUpsByName() throws Exception {
    SynchronousQueue<String> handOff = new SynchronousQueue<>();
    Thread sleeper =
        Thread.ofPlatform()
            .name("wake-me")
            .start(
                () -> {
                  try {
                    while (true) {
                      handOff.take();
                    }
                  } catch (InterruptedException e) {
                    // the test is over
                  }
                });
    long pid = ProcessHandle.current().pid();
    await().atMost(Duration.ofSeconds(10)).until(() -> sleeper.getState() == Thread.State.WAITING);
    ThreadCpu before = ThreadCpu.read(pid);
    for (int i = 0; i < 3; i++) {
      handOff.put("wake up");
    }

    // Counted when it blocks again after being woken; it stays alive (and readable) until the end.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ThreadCpu.read(pid).activitySince(before))
                    .filteredOn(t -> t.name().equals("wake-me"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.wakeUps()).isPositive()));
    sleeper.interrupt();
  }
}
