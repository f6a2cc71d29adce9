package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.BacklogGap.ReportTimes;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTimesTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static Instant at(double ms) {
    return T0.plusNanos((long) (ms * 1e6));
  }

  private static RequestRecord request(String user, double arrivalMs, double endMs) {
    return new RequestRecord(
        1,
        "/api/chat",
        "m",
        true,
        null,
        user,
        null,
        at(arrivalMs),
        at(arrivalMs),
        at(arrivalMs),
        at(endMs),
        RequestRecord.Outcome.DONE,
        200,
        "stop",
        4,
        false,
        null,
        null);
  }

  @Test
  void aNextRequestSentBeforeTheCompleteWasAcceptedCountsNegative() {
    // a ends at 20, its complete is accepted at 23; b arrives at 21 (the report runs beside it).
    // b ends at 41, accepted at 42; c arrives at 44.
    List<RequestRecord> records =
        List.of(request("c", 44, 64), request("a", 0, 20), request("b", 21, 41));
    Map<String, Instant> accepted = Map.of("a", at(23), "b", at(42), "c", at(66));

    ReportTimes times = ReportTimes.of(records, text -> Optional.ofNullable(accepted.get(text)));

    assertThat(times.endToAccepted()).containsExactly(3.0, 1.0);
    assertThat(times.acceptedToNextRequest()).containsExactly(-2.0, 2.0);
    assertThat(times.nextRequestFirstPercent()).isEqualTo(50.0);
  }

  @Test
  void tasksWithoutAnAcceptedCompleteAndUnfinishedRequestsAreLeftOut() {
    RequestRecord unfinished =
        new RequestRecord(
            3,
            "/api/chat",
            "m",
            true,
            null,
            "x",
            null,
            at(50),
            null,
            null,
            null,
            RequestRecord.Outcome.QUEUED,
            0,
            null,
            0,
            false,
            null,
            null);
    List<RequestRecord> records = List.of(request("a", 0, 20), request("b", 21, 41), unfinished);

    ReportTimes times = ReportTimes.of(records, text -> Optional.empty());

    assertThat(times.endToAccepted()).isEmpty();
    assertThat(times.nextRequestFirstPercent()).isNaN();
  }
}
