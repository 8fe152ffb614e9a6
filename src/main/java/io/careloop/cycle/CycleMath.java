package io.careloop.cycle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Counting over a cluster's per-day tallies (UTC dates): windows, trend, weeks around a publication. Pure functions. */
public final class CycleMath {
  private CycleMath() {}

  /** Mentions asked on dates after {@code from}'s date and up to {@code to}'s date (so "the last 7 days" is 7 dates). */
  public static int askedBetween(Map<String, Integer> perDay, Instant from, Instant to) {
    LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
    int sum = 0;
    for (Map.Entry<String, Integer> d : perDay.entrySet()) {
      LocalDate date = LocalDate.parse(d.getKey());
      if (date.isAfter(first) && !date.isAfter(last)) sum += d.getValue();
    }
    return sum;
  }

  /** How a question's askings moved against the window before. */
  public enum Trend {
    RISING, FALLING, STEADY,
    /** Nothing was asked in the window before. */
    NEW;

    /** As the API shows it. */
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  /** Rising or falling by at least two askings and a quarter (a fifth down); new when nothing was asked before. */
  public static Trend trend(int now, int before) {
    if (before == 0) return now == 0 ? Trend.STEADY : Trend.NEW;
    if (now - before >= 2 && now >= before * 1.25) return Trend.RISING;
    if (before - now >= 2 && now <= before * 0.8) return Trend.FALLING;
    return Trend.STEADY;
  }

  /**
   * Weekly counts around a moment: {@code weeks} seven-day periods before it (oldest first) and after it. Weeks that
   * have not ended yet are counted so far; {@code complete} says how many after-weeks are whole.
   */
  public record Around(List<Integer> before, List<Integer> after, int completeAfter) {
    public double averageBefore() { return before.stream().mapToInt(i -> i).average().orElse(0); }

    public double averageAfter() {
      return completeAfter == 0 ? 0 : after.subList(0, completeAfter).stream().mapToInt(i -> i).average().orElse(0);
    }
  }

  public static Around around(Map<String, Integer> perDay, Instant pivot, int weeks, Instant now) {
    LocalDate p = LocalDate.ofInstant(pivot, ZoneOffset.UTC);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    for (int w = weeks; w >= 1; w--) before.add(sum(perDay, p.minusDays(7L * w), p.minusDays(7L * (w - 1))));
    int complete = 0;
    for (int w = 0; w < weeks; w++) {
      LocalDate start = p.plusDays(7L * w);
      if (start.isAfter(today)) break;
      after.add(sum(perDay, start, start.plusDays(7)));
      if (!start.plusDays(7).isAfter(today)) complete++;
    }
    return new Around(before, after, complete);
  }

  /** Dates in [from, to). */
  private static int sum(Map<String, Integer> perDay, LocalDate from, LocalDate to) {
    int sum = 0;
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) sum += perDay.getOrDefault(d.toString(), 0);
    return sum;
  }

  /** The KB article most answers used. */
  public static String dominant(Map<String, Integer> articles) {
    String best = null;
    int count = 0;
    for (Map.Entry<String, Integer> e : articles.entrySet()) {
      String id = e.getKey();
      int n = e.getValue();
      if (n > count || n == count && best != null && id.compareTo(best) < 0) {
        best = id;
        count = n;
      }
    }
    return best;
  }

  /** The example that shares most question words with the others: the question in the customers' own words. */
  public static String representative(List<String> examples) {
    String best = null;
    double bestScore = -1;
    List<Set<String>> all = new ArrayList<>();
    for (String text : examples) all.add(QuestionText.tokens(text));
    for (int i = examples.size() - 1; i >= 0; i--) {
      double score = 0;
      for (int j = 0; j < all.size(); j++) if (j != i) score += ClusterIndex.jaccard(all.get(i), all.get(j));
      if (score > bestScore) {
        bestScore = score;
        best = examples.get(i);
      }
    }
    return best == null ? null : QuestionText.withoutHandlesAndLinks(best);
  }
}
