package io.careloop.queue;

/** Event-bus addresses of the queue. Events only notify (consoles, later analytics); the database is the truth. */
public final class CaseEvents {
  /** A case was opened or changed: {@code {"id", "state", "reason"}}. */
  public static final String CASE_UPDATED = "careloop.queue.case-updated";

  /**
   * Auto-assignment decided on a new case: {@code {"id", "assignee", "reason"}}, reason {@code assigned},
   * {@code disabled}, {@code not-new} (spam, or claimed first), {@code nobody-available} or {@code failed} (assignee
   * null for all but the first). Sent only when the setting was read, or its read failed.
   */
  public static final String AUTO_ASSIGN_DECIDED = "careloop.queue.auto-assign-decided";

  private CaseEvents() {}
}
