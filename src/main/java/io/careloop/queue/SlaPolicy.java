package io.careloop.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Response-time targets per priority, in calendar time (business hours come with the service-levels work).
 * First response is measured from the mention's own creation time, i.e. from when the customer started waiting,
 * not from when CareLoop happened to poll it; next response from the customer's follow-up.
 */
public record SlaPolicy(Map<Priority, Duration> firstResponse, Map<Priority, Duration> nextResponse) {

  public SlaPolicy {
    firstResponse = Map.copyOf(new EnumMap<>(firstResponse));
    nextResponse = Map.copyOf(new EnumMap<>(nextResponse));
    for (Priority p : Priority.values()) {
      if (!firstResponse.containsKey(p) || !nextResponse.containsKey(p)) throw new IllegalArgumentException("no target for " + p);
    }
  }

  public Instant firstResponseDue(Instant mentionCreatedAt, Priority priority) {
    return mentionCreatedAt.plus(firstResponse.get(priority));
  }

  public Instant nextResponseDue(Instant followUpCreatedAt, Priority priority) {
    return followUpCreatedAt.plus(nextResponse.get(priority));
  }
}
