package io.careloop.web;

import io.careloop.queue.Case;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** Cases as the API shows them (section 4 of PRODUCT.md): ISO dates, ids as strings, no internals. */
public final class CaseJson {
  private CaseJson() {}

  /** The API form of a case, encoded: what the queue in memory keeps for each open case. */
  public static byte[] encoded(Case c) {
    return view(c).toBuffer().getBytes();
  }

  static JsonObject view(Case c) {
    JsonArray messages = new JsonArray();
    java.util.Set<String> inCase = new java.util.HashSet<>();
    for (Case.Message m : c.messages()) if (m.tweetId() != null) inCase.add(m.tweetId());
    for (Case.Message m : c.messages()) {
      JsonObject message = new JsonObject().put("tweetId", m.tweetId()).put("from", m.from().wire())
        .put("handle", m.handle()).put("text", m.text()).put("at", iso(m.at()))
        .put("replyId", m.replyId()).put("agent", m.agent())
        .put("url", postUrl(m.handle(), m.tweetId()))
        .put("author", new JsonObject().put("handle", m.handle())
          .put("name", m.from() == Case.From.CUSTOMER && m.handle() != null && m.handle().equalsIgnoreCase(c.customer().handle())
            ? c.customer().name() : null)
          // Served from our origin (the console's CSP allows images from 'self' only); null: the console shows no picture.
          .put("avatar", avatarPath(m)))
        .put("sentBy", m.from() == Case.From.BRAND && m.agent() != null ? new JsonObject().put("username", m.agent()) : null);
      // A parent that is already a message of the case is shown as that message, not twice.
      Case.Parent parent = m.inReplyTo();
      if (parent != null && !inCase.contains(parent.id())) {
        message.put("inReplyTo", new JsonObject().put("url", postUrl(parent.authorHandle(), parent.id())).put("text", parent.text())
          .put("author", new JsonObject().put("handle", parent.authorHandle()).put("name", parent.authorName()))
          .put("createdAt", iso(parent.createdAt())));
      }
      messages.add(message);
    }
    Case.Customer who = c.customer();
    return new JsonObject()
      .put("id", c.id())
      .put("brand", c.brand())
      .put("tweetId", c.tweetId())
      .put("conversationId", c.conversationId())
      .put("customer", new JsonObject().put("handle", who.handle()).put("name", who.name()).put("userId", who.userId())
        .put("followers", who.followers()).put("protected", who.isProtected()))
      .put("text", c.text())
      .put("createdAt", iso(c.createdAt()))
      .put("priority", c.priority().name())
      .put("priorityReason", c.priorityReason())
      .put("state", c.state().wire())
      .put("customerConfirmed", c.customerConfirmed())
      .put("turn", c.turn() == null ? null : new JsonObject().put("tweetId", c.turn().postId()).put("thanks", c.turn().thanks())
        .put("by", c.turn().by()).put("reason", c.turn().reason()))
      .put("dueAt", iso(c.clock().dueAt()))
      .put("firstResponseDueAt", iso(c.firstResponseDueAt()))
      .put("firstResponseAt", iso(c.firstResponseAt()))
      .put("firstResponseSeconds", c.firstResponseSeconds())
      .put("nextResponseDueAt", iso(c.nextResponseDueAt()))
      .put("assignee", c.assignee())
      .put("claimExpiresAt", iso(c.claimExpiresAt()))
      .put("dismissReason", c.dismissReason())
      .put("updatedAt", iso(c.updatedAt()))
      .put("sourceId", c.sourceId())
      .put("warnAt", iso(c.clock().warnAt()))
      .put("slaMetric", c.clock().metric().wire())
      .put("slaPolicyId", c.clock().policyId())
      .put("breached", c.clock().breached())
      .put("escalated", c.escalated())
      .put("tags", new JsonArray(c.tags()))
      .put("notes", new JsonArray(c.notes().stream().map(n -> new JsonObject().put("id", n.id()).put("author", n.author())
        .put("text", n.text()).put("at", iso(n.at()))).toList()))
      .put("messages", messages);
  }

  static JsonArray history(List<Case> cases) {
    return new JsonArray(cases.stream().map(c -> new JsonObject().put("id", c.id()).put("text", c.text())
      .put("state", c.state().wire()).put("priority", c.priority().name()).put("createdAt", iso(c.createdAt()))).toList());
  }

  /**
   * The post's page on the public X site. A constant: the settings only know the API root ({@code CARELOOP_X_BASE_URL}),
   * and x.com is where an agent opens a post whatever API (or stand-in) CareLoop reads from.
   */
  static final String X_SITE = "https://x.com";
  // Compiled once: every case in a queue page is encoded with its messages.
  private static final java.util.regex.Pattern X_HANDLE = java.util.regex.Pattern.compile("[A-Za-z0-9_]{1,15}");
  private static final java.util.regex.Pattern X_USER_ID = java.util.regex.Pattern.compile("\\d{1,20}");
  private static final java.util.regex.Pattern X_POST_ID = java.util.regex.Pattern.compile("\\d{1,20}");

  /** Null while a reply has no X id yet (queued or failed), or when the handle is unknown (very old cases). */
  static String postUrl(String handle, String postId) {
    if (handle == null || postId == null || !X_HANDLE.matcher(handle).matches() || !X_POST_ID.matcher(postId).matches()) return null;
    return X_SITE + "/" + handle + "/status/" + postId;
  }

  /** Where the console gets the author's picture: only when X gave an allowed URL and the author id is X's shape. */
  static String avatarPath(Case.Message m) {
    if (m.avatarUrl() == null || m.authorId() == null || !X_USER_ID.matcher(m.authorId()).matches()) return null;
    return "/api/avatars/" + m.authorId();
  }

  static String iso(Instant i) {
    return i == null ? null : i.toString();
  }
}
