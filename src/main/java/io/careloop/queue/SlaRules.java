package io.careloop.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which SLA events a moment in a case's life records, decided from the case's stored clock alone. The callers
 * record them idempotently (flags flipped once, deterministic event ids); this class only decides.
 */
public final class SlaRules {
  private SlaRules() {}

  /** A case's clock as stored: whether it runs (the case waits on us), its deadlines and what was recorded. */
  public record Clock(boolean running, Instant warnAt, Instant dueAt, boolean warned, boolean breached) {}

  /** The scan: a warning once the warning time has come, a breach once the deadline has passed; each once. */
  public static List<SlaEvent.Kind> onScan(Clock c, Instant now) {
    List<SlaEvent.Kind> due = new ArrayList<>();
    if (!c.running() || c.dueAt() == null) return due;
    if (!c.warned() && c.warnAt() != null && !now.isBefore(c.warnAt())) due.add(SlaEvent.Kind.warning);
    if (!c.breached() && !now.isBefore(c.dueAt())) due.add(SlaEvent.Kind.breached);
    return due;
  }

  /** Our reply answers a running clock (met when confirmed by the deadline) and pauses it: we now wait on them. */
  public static List<SlaEvent.Kind> onReply(Clock c) {
    return c.running() ? List.of(SlaEvent.Kind.fulfilled, SlaEvent.Kind.paused) : List.of();
  }

  public static boolean met(Clock c, Instant confirmedAt) {
    return c.dueAt() == null || !confirmedAt.isAfter(c.dueAt());
  }

  /** Resolving or dismissing stops a running clock; a stopped clock never warns or breaches again. */
  public static List<SlaEvent.Kind> onClose(Clock c) {
    return c.running() ? List.of(SlaEvent.Kind.stopped) : List.of();
  }

  /**
   * The customer writes again: on a replied case the clock resumes as a next-response clock; while we still owe
   * the first answer, the running clock simply goes on.
   */
  public static List<SlaEvent.Kind> onCustomerWrote(CaseState state) {
    return state == CaseState.REPLIED ? List.of(SlaEvent.Kind.resumed, SlaEvent.Kind.applied) : List.of();
  }
}
