package io.careloop.queue;

/** How urgently a case needs a first answer; each has its own response-time target. */
public enum Priority {
  urgent, high, normal, low;

  public Priority raised() {
    return this == low ? normal : this == normal ? high : urgent;
  }
}
