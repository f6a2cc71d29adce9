package dev.gollm.devstack.bench;

import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Generation requests as the simulator saw them, on one time axis (nanoseconds after an origin):
 * the raw material for worker utilization and for the gap between one task ending and the next
 * starting.
 */
public final class SlotTimeline {
  /**
   * One request: arrival, slot acquired, end; nanoseconds after the timeline's origin.
   *
   * @param arrival when the request arrived at the simulator
   * @param start when it got a generation slot
   * @param end when its final object was written
   */
  public record Span(long arrival, long start, long end) {
    public Span {
      if (start < arrival || end < start) {
        throw new IllegalArgumentException(
            "span must have arrival <= start <= end, got " + arrival + ", " + start + ", " + end);
      }
    }
  }

  /**
   * A point of a utilization curve.
   *
   * @param seconds the middle of the time bin, seconds after the origin
   * @param busy the share of slots busy in that bin, 0..1
   */
  public record Point(double seconds, double busy) {}

  private final List<Span> spans;

  public SlotTimeline(List<Span> spans) {
    this.spans = spans.stream().sorted(Comparator.comparingLong(Span::arrival)).toList();
  }

  /** The finished requests among {@code records} (those with a start and an end). */
  public static SlotTimeline of(List<RequestRecord> records, Instant origin) {
    List<Span> spans = new ArrayList<>();
    for (RequestRecord r : records) {
      if (r.start() != null && r.end() != null) {
        spans.add(
            new Span(
                nanosAfter(origin, r.arrival()),
                nanosAfter(origin, r.start()),
                nanosAfter(origin, r.end())));
      }
    }
    return new SlotTimeline(spans);
  }

  private static long nanosAfter(Instant origin, Instant t) {
    return Duration.between(origin, t).toNanos();
  }

  public List<Span> spans() {
    return spans;
  }

  /**
   * Gaps between a request ending and the next request arriving, in ms. Ends and arrivals are taken
   * in time order; each arrival is paired with the earliest end not yet paired (first in, first
   * out), and an arrival with no end before it (the initial fill) is skipped. With one worker this
   * is exactly "end of one task to start of the next on the same worker"; with several the pairing
   * may swap workers, which keeps the mean exact but blurs the tail.
   */
  public List<Double> refillGapsMillis() {
    record Event(long at, boolean isEnd) {}
    List<Event> events = new ArrayList<>(spans.size() * 2);
    for (Span s : spans) {
      events.add(new Event(s.arrival(), false));
      events.add(new Event(s.end(), true));
    }
    // At equal times an end comes first, so a zero gap pairs.
    events.sort(Comparator.comparingLong(Event::at).thenComparing(e -> e.isEnd() ? 0 : 1));
    ArrayDeque<Long> freed = new ArrayDeque<>();
    List<Double> gaps = new ArrayList<>();
    for (Event e : events) {
      if (e.isEnd()) {
        freed.addLast(e.at());
      } else if (!freed.isEmpty()) {
        gaps.add((e.at() - freed.removeFirst()) / 1e6);
      }
    }
    return gaps;
  }

  /** Each request's service time (slot acquired to end), in ms. */
  public List<Double> serviceMillis() {
    return spans.stream().map(s -> (s.end() - s.start()) / 1e6).toList();
  }

  /**
   * The share of {@code slots} busy (a request between start and end) in consecutive bins of {@code
   * bin} from {@code from} to {@code to} (nanoseconds after the origin).
   */
  public List<Point> utilization(int slots, long from, long to, Duration bin) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    long width = bin.toNanos();
    if (width <= 0) {
      throw new IllegalArgumentException("bin must be positive, got " + bin);
    }
    int bins = (int) Math.max(0, (to - from + width - 1) / width);
    double[] busy = new double[bins];
    for (Span s : spans) {
      long a = Math.max(s.start(), from);
      long b = Math.min(s.end(), to);
      for (long t = a; t < b; ) {
        int i = (int) ((t - from) / width);
        long binEnd = from + (i + 1) * width;
        long until = Math.min(b, binEnd);
        busy[i] += until - t;
        t = until;
      }
    }
    List<Point> points = new ArrayList<>(bins);
    for (int i = 0; i < bins; i++) {
      long binStart = from + i * width;
      long binWidth = Math.min(width, to - binStart);
      points.add(
          new Point((binStart + binWidth / 2.0) / 1e9, busy[i] / ((double) slots * binWidth)));
    }
    return points;
  }

  /** The share of slot time busy between {@code from} and {@code to}, 0..1. */
  public double busyShare(int slots, long from, long to) {
    if (to <= from) {
      return Double.NaN;
    }
    double busy = 0;
    for (Span s : spans) {
      busy += Math.max(0, Math.min(s.end(), to) - Math.max(s.start(), from));
    }
    return busy / ((double) slots * (to - from));
  }
}
