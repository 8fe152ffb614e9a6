package io.careloop.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The brand's policies in order (first match wins) and its opening hours: turns a case and the moment its clock
 * starts into a stored deadline. A policy change makes a new book; deadlines already set are not rewritten.
 */
public record SlaBook(List<SlaPolicy> policies, BusinessHours hours) {

  /** A clock as stored on a case: when it started, when to warn, when it is breached, and under which policy. */
  public record Deadline(String policyId, SlaMetric metric, Instant start, Instant warnAt, Instant dueAt,
                         boolean businessHours, boolean escalateOnBreach) {}

  public SlaBook {
    policies = List.copyOf(policies);
    if (policies.isEmpty()) throw new IllegalArgumentException("at least one policy");
  }

  public SlaPolicy policyFor(SlaPolicy.CaseFacts facts) {
    return policies.stream().filter(p -> p.appliesTo(facts)).findFirst()
      .orElse(policies.get(policies.size() - 1));
  }

  public Deadline deadline(SlaMetric metric, SlaPolicy.CaseFacts facts, Instant start) {
    SlaPolicy policy = policyFor(facts);
    Duration target = policy.target(metric, facts.priority());
    Duration warnAfter = Duration.ofMillis(Math.round(target.toMillis() * policy.warnShare()));
    BusinessHours clock = policy.businessHours() ? hours : BusinessHours.always(hours.zone());
    return new Deadline(policy.id(), metric, start, clock.add(start, warnAfter), clock.add(start, target),
      policy.businessHours(), policy.escalateOnBreach());
  }
}
