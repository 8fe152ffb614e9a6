package io.careloop.analytics;

import java.util.Map;
import java.util.TreeMap;

/**
 * Response times as a mergeable histogram: exact to the second below one hour, then in buckets 1% wide, so a day's
 * figures can be stored once and any range of days merged without the raw values, with percentiles at most 1% off
 * above an hour. Percentiles use the nearest rank (the smallest value with at least p% of the values at or below it),
 * which a person can check by hand. Plain Java.
 */
public final class ResponseTimes {
  static final int EXACT_BELOW = 3600;
  private static final double STEP = Math.log(1.01);

  private final TreeMap<Integer, Long> buckets = new TreeMap<>();
  private long count;
  private long met;
  private double sum;

  /** A stored day's histogram: how many responses, how many within target, their sum, and bucket → count. */
  public record Stored(long n, long met, double sum, Map<Integer, Long> buckets) {}

  /** What the API shows of a set of responses; the figures are null with no responses. */
  public record Summary(long replies, long met, Double slaAttainment, Long medianSeconds, Long p90Seconds, Long p99Seconds,
                        Long meanSeconds) {}

  public void add(long seconds, boolean withinTarget) {
    buckets.merge(bucket(seconds), 1L, Long::sum);
    count++;
    if (withinTarget) met++;
    sum += seconds;
  }

  /** Merges a stored day. */
  public void add(Stored stored) {
    if (stored == null) return;
    count += stored.n();
    met += stored.met();
    sum += stored.sum();
    stored.buckets().forEach((b, c) -> buckets.merge(b, c, Long::sum));
  }

  public long count() { return count; }

  public long met() { return met; }

  /** Share of responses within their target, or null with none. */
  public Double attainment() { return count == 0 ? null : (double) met / count; }

  public Double mean() { return count == 0 ? null : sum / count; }

  /** Nearest-rank percentile in seconds, or null with no values. */
  public Long percentile(double p) {
    if (count == 0) return null;
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
    long seen = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) return value(e.getKey());
    }
    return value(buckets.lastKey());
  }

  /** As a day stores it (what {@link #add(Stored)} merges). */
  public Stored stored() {
    return new Stored(count, met, sum, Map.copyOf(buckets));
  }

  public Summary summary() {
    return new Summary(count, met, attainment(), percentile(50), percentile(90), percentile(99), mean() == null ? null : Math.round(mean()));
  }

  static int bucket(long seconds) {
    if (seconds < EXACT_BELOW) return (int) Math.max(0, seconds);
    return EXACT_BELOW + (int) Math.floor(Math.log((double) seconds / EXACT_BELOW) / STEP);
  }

  /** The bucket's value: exact below an hour, else the geometric middle of its range. */
  static long value(int bucket) {
    if (bucket < EXACT_BELOW) return bucket;
    return Math.round(EXACT_BELOW * Math.exp((bucket - EXACT_BELOW + 0.5) * STEP));
  }
}
