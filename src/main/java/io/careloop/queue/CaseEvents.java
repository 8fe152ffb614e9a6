package io.careloop.queue;

/** Event-bus addresses of the queue. Events only notify (consoles, later analytics); the database is the truth. */
public final class CaseEvents {
  /** A case was opened or changed: {@code {"id", "state", "reason"}}. */
  public static final String CASE_UPDATED = "careloop.queue.case-updated";

  private CaseEvents() {}
}
