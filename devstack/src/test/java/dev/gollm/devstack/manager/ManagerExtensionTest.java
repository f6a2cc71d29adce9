package dev.gollm.devstack.manager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JUnit extension injects a fresh, running manager into each test. */
@ExtendWith(ManagerExtension.class)
class ManagerExtensionTest {
  @Test
  void aRunningManagerWithTheDefaultsIsInjected(ManagerServer manager) {
    assertThat(manager.apiKey()).isEqualTo(ManagerOptions.DEFAULT_API_KEY);
    assertThat(manager.baseUrl()).startsWith("http://127.0.0.1:");
    assertThat(new ManagerClient(manager).get("/api/internal/tasks").status()).isEqualTo(200);
  }

  @Test
  void eachTestGetsAnEmptyDatabase(ManagerServer manager) {
    assertThat(manager.allTasks()).isEmpty();
    manager.submit("left behind");
  }

  @Test
  void eachTestGetsAnEmptyDatabaseWhateverRanBefore(ManagerServer manager) {
    assertThat(manager.allTasks()).isEmpty();
    manager.submit("left behind");
  }
}
