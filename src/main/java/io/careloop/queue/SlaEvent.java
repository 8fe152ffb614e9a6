package io.careloop.queue;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a case's service-level clock, after Zendesk's ticket metric events. Recorded once: its id is made of
 * the case, the metric, the kind and the deadline it concerns ({@link SlaEvents#id}).
 *
 * @param dueAt   the deadline the step concerns (null for a clock without one)
 * @param details what else the step records: the policy applied, whether a reply met the target and who sent it
 */
public record SlaEvent(String caseId, SlaMetric metric, Kind kind, Instant dueAt, Instant at, Map<String, Object> details) {

  /** What happened to the clock. */
  public enum Kind {
    applied, warning, breached, fulfilled, paused, resumed, stopped,
    /** A stop taken back (a close undone): the same clock runs again with its deadline, as if never stopped. */
    restored
  }

  public SlaEvent {
    // In the order given (stored so), nulls allowed.
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }
}
