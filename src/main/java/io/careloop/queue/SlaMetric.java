package io.careloop.queue;

/** What a response-time clock measures (the names Zendesk and Chatwoot use). */
public enum SlaMetric {
  /** From the customer's first mention to our first reply. */
  FIRST_RESPONSE("first-response"),
  /** From a customer's follow-up on a replied case to our next reply. */
  NEXT_RESPONSE("next-response");

  private final String wire;

  SlaMetric(String wire) { this.wire = wire; }

  public String wire() { return wire; }

  public static SlaMetric fromWire(String s) {
    for (SlaMetric m : values()) if (m.wire.equals(s)) return m;
    throw new IllegalArgumentException("unknown metric " + s);
  }
}
