package io.careloop.queue;

import java.util.List;

/**
 * Where a case is in its life. A replied case waits on the customer and runs no clock; a follow-up from the
 * customer puts it back in the queue.
 */
public enum CaseState {
  NEW, CLAIMED, REPLIED, RESOLVED, DISMISSED;

  /** States in which a case sits in the queue with a running clock. */
  public static final List<CaseState> WAITING_ON_US = List.of(NEW, CLAIMED);
  /** States in which a new message from the customer joins the case instead of opening another. */
  public static final List<CaseState> OPEN = List.of(NEW, CLAIMED, REPLIED);

  public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

  public static CaseState fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }

  public boolean open() { return OPEN.contains(this); }

  public boolean claimable() { return this == NEW || this == CLAIMED; }

  public boolean replyable() { return open(); }

  public boolean dismissable() { return open(); }

  public boolean resolvable() { return open(); }

  public static List<String> wire(List<CaseState> states) { return states.stream().map(CaseState::wire).toList(); }
}
