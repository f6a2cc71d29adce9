package dev.gollm.processor.llm.openai;

import dev.gollm.processor.llm.LlmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The models an OpenAI-compatible server lists at {@code /v1/models}. Such a server cannot pull, so
 * a model it does not list fails the task at once. The list is cached; a model not in it triggers a
 * fresh listing, at most once per {@code minRefresh}, so a burst of tasks for an unknown model
 * costs one call.
 */
final class ModelList {
  /** One answer of {@code /v1/models}. */
  record Listing(List<String> ids, ServerFamily family) {
    Listing {
      ids = List.copyOf(ids);
    }
  }

  private final Supplier<Listing> fetch;
  private final Clock clock;
  private final Duration minRefresh;
  private final String where;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Listing listing;
  private Instant fetchedAt;

  /**
   * @param fetch calls the server; throws {@link LlmException} when it cannot
   * @param where the server, for messages
   */
  ModelList(Supplier<Listing> fetch, Clock clock, Duration minRefresh, String where) {
    this.fetch = fetch;
    this.clock = clock;
    this.minRefresh = minRefresh;
    this.where = where;
  }

  /**
   * Returns when the server lists the model.
   *
   * @throws LlmException.Permanent naming the model and what the server offers when it does not
   */
  void require(String model) {
    Listing known = listing;
    if (known != null && lists(known, model)) {
      return;
    }
    lock.lock();
    try {
      if (listing == null || (!lists(listing, model) && stale())) {
        refresh();
      }
      if (!lists(listing, model)) {
        throw new LlmException.Permanent(
            "model "
                + model
                + " is not served by "
                + where
                + " (an OpenAI-compatible server cannot pull models); it offers: "
                + (listing.ids().isEmpty() ? "nothing" : String.join(", ", listing.ids())),
            null);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fetches the list now. */
  Listing refresh() {
    lock.lock();
    try {
      listing = fetch.get();
      fetchedAt = clock.instant();
      return listing;
    } finally {
      lock.unlock();
    }
  }

  /** False only when the server is known not to list the model. */
  boolean mayServe(String model) {
    Listing known = listing;
    return known == null || lists(known, model);
  }

  /** Makes the next miss list again at once (after the server said it lacks a listed model). */
  void forget() {
    lock.lock();
    try {
      fetchedAt = null;
    } finally {
      lock.unlock();
    }
  }

  /** The family of the last listing, or GENERIC before the first. */
  ServerFamily family() {
    Listing known = listing;
    return known == null ? ServerFamily.GENERIC : known.family();
  }

  private boolean stale() {
    return fetchedAt == null || !clock.instant().isBefore(fetchedAt.plus(minRefresh));
  }

  /** Exact id, or an Ollama-style name without a tag matching its {@code :latest}. */
  private static boolean lists(Listing listing, String model) {
    return listing.ids().contains(model)
        || (!model.contains(":") && listing.ids().contains(model + ":latest"));
  }
}
