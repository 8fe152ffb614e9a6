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
    for (Case.Message m : c.messages()) {
      messages.add(new JsonObject().put("tweetId", m.tweetId()).put("from", m.from().wire())
        .put("handle", m.handle()).put("text", m.text()).put("at", iso(m.at()))
        .put("replyId", m.replyId()).put("agent", m.agent()));
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

  static String iso(Instant i) {
    return i == null ? null : i.toString();
  }
}
