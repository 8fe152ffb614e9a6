package io.careloop.queue;

import java.time.Instant;
import java.util.List;

/**
 * A customer's conversation with the brand as the queue holds it: who wrote, what was said, its state, who holds it,
 * and its service-level clock. Read from the database by {@link CaseDocuments}; changed there by single-document
 * updates (the embedded server has no transactions), so this is a snapshot, not something to write back whole.
 *
 * @param order          the case's position in {@link QueueOrder} (state, deadline, age, id), stored so pages are index scans
 * @param turn           what the customer's latest follow-up after our reply was read as (null before any)
 * @param priorityReason why the case has its priority, in words a care team reads (keywords, meaning, audience)
 */
public record Case(String id, String brand, String sourceId, String tweetId, String conversationId, Customer customer,
                   String text, Instant createdAt, Priority priority, CaseState state, ServiceClock clock,
                   Instant firstResponseDueAt, Instant firstResponseAt, Long firstResponseSeconds,
                   Instant nextResponseDueAt, Instant nextResponseFrom, String assignee, Instant claimExpiresAt,
                   boolean escalated, String lastCustomerTweetId, Instant lastReplyAt, List<Message> messages,
                   List<Note> notes, List<String> tags, String dismissReason, String closedBy, Instant closedAt,
                   Instant openedAt, Instant updatedAt, String order, Turn turn, String priorityReason) {

  /**
   * A follow-up on a replied case, as read: only thanks (the case stays replied or resolves, customer confirmed) or
   * more work (reopened). {@code by} is "rules" until the meaning has read it ("meaning"), which happens once.
   */
  public record Turn(String postId, boolean thanks, String by, String reason) {}

  /** The customer said, after our reply, that it is sorted. */
  public boolean customerConfirmed() { return turn != null && turn.thanks(); }

  /** The customer as X showed them when the case opened. */
  public record Customer(String handle, String name, String userId, long followers, boolean isProtected) {}

  /** Who wrote a message: the customer, or the brand (an agent's reply as posted on X). */
  public enum From {
    CUSTOMER, BRAND;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static From fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
  }

  /**
   * One post of the conversation; a brand message names the reply and the agent behind it. A customer's post also
   * carries its author's X id, whether X gave a profile image for them ({@code avatarUrl}, an allowed URL or null),
   * and the post it replied to when X sent that along ({@code inReplyTo}, null otherwise and on older cases).
   */
  public record Message(String tweetId, From from, String handle, String text, Instant at, String replyId, String agent,
                        String authorId, String avatarUrl, Parent inReplyTo) {

    /** A message without author id, avatar or parent: brand replies, and cases stored before they were kept. */
    public Message(String tweetId, From from, String handle, String text, Instant at, String replyId, String agent) {
      this(tweetId, from, handle, text, at, replyId, agent, null, null, null);
    }
  }

  /** The post a message replied to, as X showed it; its text is hostile input like any post's. */
  public record Parent(String id, String text, String authorHandle, String authorName, Instant createdAt) {}

  /** An internal note: staff only, never posted. */
  public record Note(String id, String author, String text, Instant at) {}

  /**
   * The running service-level clock (none on a case that waits on the customer or is closed: {@code dueAt} null).
   * {@code warned} and {@code breached} record that the warning and the breach were announced, once each.
   */
  public record ServiceClock(SlaMetric metric, String policyId, Instant start, Instant warnAt, Instant dueAt,
                             boolean businessHours, boolean escalateOnBreach, boolean warned, boolean breached) {

    /** The same clock stopped: no deadline and no warning run (a dismissed or answered case). */
    public ServiceClock stopped() {
      return new ServiceClock(metric, policyId, start, null, null, businessHours, escalateOnBreach, warned, breached);
    }

    /** What {@link SlaRules} decides from. */
    public SlaRules.Clock rules(CaseState state) {
      return new SlaRules.Clock(state.claimable(), warnAt, dueAt, warned, breached);
    }
  }

  /** The clock as the SLA rules see it. */
  public SlaRules.Clock rulesClock() { return clock.rules(state); }

  /** What the customer has written, in order: what suggestions and clustering read. */
  public List<String> customerTexts() {
    return messages.stream().filter(m -> m.from() == From.CUSTOMER).map(Message::text).toList();
  }
}
