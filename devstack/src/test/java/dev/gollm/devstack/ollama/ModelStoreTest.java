package dev.gollm.devstack.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Load, keep-alive and context-window rules of the simulated models, on a clock the test moves. */
class ModelStoreTest {
  private static final ModelProfile MODEL =
      ModelProfile.fast("gemma2:1b").withLoadTime(Duration.ZERO);
  private static final Instant T0 = Instant.parse("2025-07-10T10:00:00Z");

  private Instant now = T0;
  private final ModelStore store =
      new ModelStore(
          List.of(MODEL),
          List.of(),
          Duration.ofMinutes(5),
          new InstantSource() {
            @Override
            public Instant instant() {
              return now;
            }
          });

  private ModelStore.Lease request(Duration keepAlive, int numCtx) throws InterruptedException {
    ModelStore.Lease lease = store.acquire(MODEL, keepAlive, numCtx);
    store.release(MODEL, keepAlive);
    return lease;
  }

  private void pass(Duration d) {
    now = now.plus(d);
  }

  @Test
  void theFirstRequestLoadsAndTheNextWithinKeepAliveFindsTheModelLoaded() throws Exception {
    assertThat(request(null, 4096).cold()).isTrue();
    pass(Duration.ofMinutes(4));

    assertThat(request(null, 4096).cold()).isFalse();
  }

  @Test
  void theModelUnloadsWhenTheServerKeepAliveHasPassedSinceTheLastRequest() throws Exception {
    request(null, 4096);
    assertThat(store.loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5))));

    pass(Duration.ofMinutes(5));

    assertThat(store.loaded()).isEmpty();
    assertThat(request(null, 4096).cold()).isTrue();
  }

  @Test
  void aRequestsKeepAliveOverridesTheServers() throws Exception {
    request(Duration.ofMinutes(30), 4096);
    pass(Duration.ofMinutes(29));

    assertThat(store.loaded()).hasSize(1);
    assertThat(request(null, 4096).cold()).isFalse();
  }

  @Test
  void keepAliveZeroUnloadsRightAfterTheRequest() throws Exception {
    request(Duration.ZERO, 4096);

    assertThat(store.loaded()).isEmpty();
    assertThat(request(null, 4096).cold()).isTrue();
  }

  @Test
  void aNegativeKeepAliveKeepsTheModelForEver() throws Exception {
    request(Duration.ofSeconds(-1), 4096);
    pass(Duration.ofDays(365));

    assertThat(store.loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.expiresAt()).isEqualTo(ModelStore.FOREVER));
  }

  @Test
  void aRunningRequestKeepsTheModelLoadedWhateverTheTime() throws Exception {
    store.acquire(MODEL, Duration.ofSeconds(1), 4096);
    pass(Duration.ofHours(1));

    assertThat(store.loaded()).hasSize(1);
    store.release(MODEL, Duration.ofSeconds(1));
    pass(Duration.ofSeconds(1));
    assertThat(store.loaded()).isEmpty();
  }

  @Test
  void aChangedServerKeepAliveAppliesToRequestsEndingAfterwards() throws Exception {
    store.defaultKeepAlive(Duration.ofSeconds(10));
    request(null, 4096);

    pass(Duration.ofSeconds(10));

    assertThat(store.loaded()).isEmpty();
  }

  @Test
  void anotherContextWindowReloadsTheModelAndPsShowsTheWindow() throws Exception {
    request(null, 4096);

    assertThat(request(null, 8192).cold()).isTrue();
    assertThat(request(null, 8192).cold()).isFalse();
    assertThat(store.loaded()).singleElement().satisfies(l -> assertThat(l.ctx()).isEqualTo(8192));
  }

  @Test
  void aReloadForAnotherContextWindowWaitsForTheRunningRequests() throws Exception {
    store.acquire(MODEL, null, 4096);
    CompletableFuture<ModelStore.Lease> bigger =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.acquire(MODEL, null, 8192);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(bigger).isNotDone();
    store.release(MODEL, null);

    assertThat(bigger.get(5, TimeUnit.SECONDS).cold()).isTrue();
  }

  @Test
  void anUnloadAskedWhileARequestRunsHappensWhenItEnds() throws Exception {
    store.acquire(MODEL, null, 4096);

    store.unload(MODEL.name());
    assertThat(store.loaded()).hasSize(1);
    store.release(MODEL, null);

    assertThat(store.loaded()).isEmpty();
  }
}
