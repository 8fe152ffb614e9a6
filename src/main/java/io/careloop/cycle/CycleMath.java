package io.careloop.cycle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Counting over a cluster's per-day tallies (UTC dates): windows, trend, weeks around a publication. Pure functions. */
public final class CycleMath {
  private CycleMath() {}

  /** Mentions asked on dates after {@code from}'s date and up to {@code to}'s date (so "the last 7 days" is 7 dates). */
  public static int askedBetween(JsonObject perDay, Instant from, Instant to) {
    LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
    int sum = 0;
    for (String d : perDay.fieldNames()) {
      LocalDate date = LocalDate.parse(d);
      if (date.isAfter(first) && !date.isAfter(last)) sum += perDay.getInteger(d, 0);
    }
    return sum;
  }

  /** rising / falling / steady against the window before; "new" when nothing was asked before. */
  public static String trend(int now, int before) {
    if (before == 0) return now == 0 ? "steady" : "new";
    if (now - before >= 2 && now >= before * 1.25) return "rising";
    if (before - now >= 2 && now <= before * 0.8) return "falling";
    return "steady";
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

  public static Around around(JsonObject perDay, Instant pivot, int weeks, Instant now) {
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
  private static int sum(JsonObject perDay, LocalDate from, LocalDate to) {
    int sum = 0;
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) sum += perDay.getInteger(d.toString(), 0);
    return sum;
  }

  /** The KB article most answers used. */
  public static String dominant(JsonObject articles) {
    String best = null;
    int count = 0;
    for (String id : articles.fieldNames()) {
      int n = articles.getInteger(id, 0);
      if (n > count || n == count && best != null && id.compareTo(best) < 0) {
        best = id;
        count = n;
      }
    }
    return best;
  }

  /** The example that shares most question words with the others: the question in the customers' own words. */
  public static String representative(JsonArray examples) {
    String best = null;
    double bestScore = -1;
    List<Set<String>> all = new ArrayList<>();
    for (Object o : examples) all.add(QuestionText.tokens(((JsonObject) o).getString("text")));
    for (int i = examples.size() - 1; i >= 0; i--) {
      double score = 0;
      for (int j = 0; j < all.size(); j++) if (j != i) score += ClusterIndex.jaccard(all.get(i), all.get(j));
      if (score > bestScore) {
        bestScore = score;
        best = examples.getJsonObject(i).getString("text");
      }
    }
    return best == null ? null : QuestionText.withoutHandlesAndLinks(best);
  }
}
