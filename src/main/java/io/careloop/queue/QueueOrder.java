package io.careloop.queue;

import java.time.Instant;

/**
 * The sort key of the queue, stored on each case so that the list is one indexed range scan with a keyset cursor:
 * cases waiting on us first, earliest deadline first; then cases waiting on the customer; then closed cases,
 * most recently closed first. Ties break on the case id.
 */
public final class QueueOrder {
  private QueueOrder() {}

  public static String key(CaseState state, Instant dueAt, Instant updatedAt, String caseId) {
    return switch (state) {
      case NEW, CLAIMED -> "0-" + pad(dueAt == null ? Long.MAX_VALUE / 2 : dueAt.toEpochMilli()) + "-" + caseId;
      case REPLIED -> "1-" + pad(updatedAt.toEpochMilli()) + "-" + caseId;
      case RESOLVED, DISMISSED -> "2-" + pad(Long.MAX_VALUE / 2 - updatedAt.toEpochMilli()) + "-" + caseId;
    };
  }

  private static String pad(long millis) {
    return String.format("%019d", Math.max(0, millis));
  }
}
