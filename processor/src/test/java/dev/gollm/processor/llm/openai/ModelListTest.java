package dev.gollm.processor.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.llm.LlmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ModelListTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile List<String> offered = List.of("a", "gemma2:latest");
  private final ModelList list =
      new ModelList(
          () -> {
            fetches.incrementAndGet();
            return new ModelList.Listing(offered, ServerFamily.GENERIC);
          },
          clock,
          Duration.ofSeconds(30),
          "http://gpu1:8000");

  @Test
  void aListedModelIsFetchedOnceAndThenKnown() {
    list.require("a");
    list.require("a");

    assertThat(fetches).hasValue(1);
    assertThat(list.mayServe("a")).isTrue();
  }

  @Test
  void aNameWithoutTagMatchesItsLatest() {
    list.require("gemma2");
  }

  @Test
  void aMissListsAgainAtMostOncePerRefreshInterval() {
    list.require("a");
    assertThatThrownBy(() -> list.require("b"))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("model b is not served by http://gpu1:8000")
        .hasMessageContaining("it offers: a, gemma2:latest");
    assertThatThrownBy(() -> list.require("b")).isInstanceOf(LlmException.Permanent.class);
    assertThat(fetches).as("a miss within 30 s of the last list does not list again").hasValue(1);

    offered = List.of("a", "b");
    now.set(Instant.EPOCH.plusSeconds(30));
    list.require("b");

    assertThat(fetches).hasValue(2);
  }

  @Test
  void beforeTheFirstListEveryModelMayBeServedAfterItOnlyTheListed() {
    assertThat(list.mayServe("z")).isTrue();
    list.refresh();
    assertThat(list.mayServe("z")).isFalse();
  }

  @Test
  void forgettingListsAgainOnTheNextMiss() {
    list.require("a");
    offered = List.of("a", "c");
    list.forget();

    list.require("c");

    assertThat(fetches).hasValue(2);
  }
}
