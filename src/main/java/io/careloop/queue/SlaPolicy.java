package io.careloop.queue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A response-time policy: when it applies (all given conditions must hold; an empty condition holds always), the
 * first- and next-response targets per priority, whether they count business hours or calendar time, when to warn
 * (share of the target), and whether a breach escalates (priority up one step, leads told).
 */
public record SlaPolicy(String id, String name, Conditions when, Map<Priority, Duration> firstResponse,
                        Map<Priority, Duration> nextResponse, boolean businessHours, double warnShare,
                        boolean escalateOnBreach) {

  /** What a case must look like for the policy to apply. */
  public record Conditions(Set<Priority> priorities, Set<String> sources, List<String> keywords, long minFollowers) {
    public static final Conditions ALWAYS = new Conditions(Set.of(), Set.of(), List.of(), 0);

    public Conditions {
      priorities = Set.copyOf(priorities);
      sources = Set.copyOf(sources);
      keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    }

    boolean matches(CaseFacts c) {
      if (!priorities.isEmpty() && !priorities.contains(c.priority())) return false;
      if (!sources.isEmpty() && !sources.contains(c.sourceId())) return false;
      if (c.followers() < minFollowers) return false;
      String text = c.text() == null ? "" : c.text().toLowerCase(Locale.ROOT);
      return keywords.isEmpty() || keywords.stream().anyMatch(text::contains);
    }
  }

  /** The facts of a case that policies decide on. */
  public record CaseFacts(Priority priority, String sourceId, String text, long followers) {}

  public SlaPolicy {
    firstResponse = Map.copyOf(new EnumMap<>(firstResponse));
    nextResponse = Map.copyOf(new EnumMap<>(nextResponse));
    for (Priority p : Priority.values()) {
      if (!firstResponse.containsKey(p) || !nextResponse.containsKey(p)) throw new IllegalArgumentException("no target for " + p);
      if (firstResponse.get(p).isNegative() || firstResponse.get(p).isZero() || nextResponse.get(p).isNegative() || nextResponse.get(p).isZero()) {
        throw new IllegalArgumentException("targets must be positive");
      }
    }
    if (!(warnShare > 0 && warnShare < 1)) throw new IllegalArgumentException("warnShare must be between 0 and 1");
  }

  public Duration target(SlaMetric metric, Priority priority) {
    return (metric == SlaMetric.FIRST_RESPONSE ? firstResponse : nextResponse).get(priority);
  }

  public boolean appliesTo(CaseFacts facts) { return when.matches(facts); }
}
