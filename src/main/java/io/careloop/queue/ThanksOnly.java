package io.careloop.queue;

/** What a follow-up that only thanks or closes does to a replied case (setting {@code understanding.thanksOnly}). */
public enum ThanksOnly {
  /** The case stays replied, marked customer confirmed: an agent may still close it, or the customer write again. */
  LEAVE_REPLIED,
  /** The case resolves, closed by CareLoop: the customer's next post opens a new case. */
  RESOLVE;

  public static ThanksOnly fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_')); }

  /** The state a replied case is left in. */
  CaseState state() { return this == RESOLVE ? CaseState.RESOLVED : CaseState.REPLIED; }
}
