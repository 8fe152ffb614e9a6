package io.careloop.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * Taking back a close: undo within a short window restores the case as it was, reopen puts a closed case back in the
 * queue with a fresh next-response clock. Plain Java: what is allowed, decided from the stored snapshot and a clock.
 */
public final class Reopening {
  /** How long a close can be undone: long enough to read the toast and click, short enough that nobody built on it. */
  public static final Duration UNDO_WINDOW = Duration.ofSeconds(30);

  private Reopening() {}

  /**
   * What a close changed, as it was before: enough to put the case back untouched. {@code closedAt} is the close's
   * instant, also its {@code updatedAt}: a case written since no longer has it. {@code stoppedClock} says the close
   * recorded a "stopped" SLA event (its {@code round}), which an undo must cancel.
   */
  public record Snapshot(String token, CaseState closedAs, String closedBy, Instant closedAt, Instant expiresAt, Instant usedAt,
                         CaseState state, String priorClosedBy, Instant priorClosedAt, Instant dueAt, Instant updatedAt,
                         String order, String dismissReason, boolean stoppedClock, int round) {

    static Snapshot of(String token, Case before, CaseState closedAs, String agent, Instant now, boolean stoppedClock, int round) {
      return new Snapshot(token, closedAs, agent, now, now.plus(UNDO_WINDOW), null, before.state(), before.closedBy(), before.closedAt(),
        before.clock().dueAt(), before.updatedAt(), before.order(), before.dismissReason(), stoppedClock, round);
    }
  }

  /** Why an undo is refused, or {@code OK}. */
  public enum Verdict {
    OK, UNKNOWN, USED, EXPIRED, CHANGED_SINCE, NOT_YOURS;

    /** The error code the API answers with. */
    public String code() {
      return switch (this) {
        case OK -> "ok";
        case UNKNOWN -> "undo-unknown";
        case USED -> "undo-used";
        case EXPIRED -> "undo-expired";
        case CHANGED_SINCE -> "changed-since";
        case NOT_YOURS -> "undo-not-yours";
      };
    }
  }

  /**
   * Whether {@code agent} may undo with {@code token} now: the token is the case's latest, unused, within its window,
   * theirs (an undo is the closer's second thought, not a colleague's), and the case is as the close left it.
   */
  public static Verdict undo(Snapshot s, String token, String agent, Instant now, CaseState state, Instant updatedAt) {
    if (s == null || !s.token().equals(token)) return Verdict.UNKNOWN;
    if (s.usedAt() != null) return Verdict.USED;
    if (now.isAfter(s.expiresAt())) return Verdict.EXPIRED;
    if (!s.closedBy().equals(agent)) return Verdict.NOT_YOURS;
    if (state != s.closedAs() || updatedAt == null || !updatedAt.equals(s.closedAt())) return Verdict.CHANGED_SINCE;
    return Verdict.OK;
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** An undo token: unguessable, URL-safe, 24 characters. */
  public static String newToken() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Only a closed case reopens; an open one is already in the queue. */
  public static boolean reopenable(CaseState state) {
    return state == CaseState.DISMISSED || state == CaseState.RESOLVED;
  }

  /**
   * The id suffix of SLA events of a clock stopped and restored again: each undo starts a new round, so the next stop
   * of the same deadline is recorded (and counted) again rather than taken for the first.
   */
  public static String round(int round) {
    return round <= 0 ? "" : "|r" + round;
  }
}
