package io.careloop.queue;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * Cases as stored: the one place that knows the document's field names, in both directions. Fields a case from an
 * older version lacks read as their defaults (no clock metric means first response, no flags mean not yet).
 */
public final class CaseDocuments {
  private CaseDocuments() {}

  public static Case fromDocument(JsonObject d) {
    JsonObject c = d.getJsonObject("customer", new JsonObject());
    Long followers = c.getLong("followers");
    return new Case(d.getString("_id"), d.getString("brand"), d.getString("sourceId"), d.getString("tweetId"),
      d.getString("conversationId"),
      new Case.Customer(c.getString("handle"), c.getString("name"), c.getString("userId"), followers == null ? 0 : followers,
        c.getBoolean("protected", false)),
      d.getString("text"), instant(d, "createdAt"), Priority.valueOf(d.getString("priority", Priority.normal.name())),
      CaseState.fromWire(d.getString("state")),
      new Case.ServiceClock(SlaMetric.fromWire(d.getString("slaMetric", SlaMetric.FIRST_RESPONSE.wire())), d.getString("slaPolicyId"),
        instant(d, "slaStart"), instant(d, "warnAt"), instant(d, "dueAt"), d.getBoolean("slaBusinessHours", false),
        d.getBoolean("slaEscalate", false), d.getBoolean("warned", false), d.getBoolean("breached", false)),
      instant(d, "firstResponseDueAt"), instant(d, "firstResponseAt"), d.getLong("firstResponseSeconds"),
      instant(d, "nextResponseDueAt"), instant(d, "nextResponseFrom"), d.getString("assignee"), instant(d, "claimExpiresAt"),
      d.getBoolean("escalated", false), d.getString("lastCustomerTweetId"), instant(d, "lastReplyAt"),
      d.getJsonArray("messages", new JsonArray()).stream().map(m -> message((JsonObject) m)).toList(),
      d.getJsonArray("notes", new JsonArray()).stream().map(n -> note((JsonObject) n)).toList(),
      d.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
      d.getString("dismissReason"), d.getString("closedBy"), instant(d, "closedAt"),
      instant(d, "openedAt"), instant(d, "updatedAt"), d.getString("order"), turn(d.getJsonObject("turn")), d.getString("priorityReason"));
  }

  /** A new case's document (intake writes it whole, once; later changes are single-field updates). */
  public static JsonObject toDocument(Case c) {
    Case.ServiceClock clock = c.clock();
    JsonObject doc = new JsonObject()
      .put("_id", c.id()).put("brand", c.brand()).put("sourceId", c.sourceId()).put("tweetId", c.tweetId())
      .put("conversationId", c.conversationId())
      .put("customer", new JsonObject().put("handle", c.customer().handle()).put("name", c.customer().name())
        .put("userId", c.customer().userId()).put("followers", c.customer().followers()).put("protected", c.customer().isProtected()))
      .put("text", c.text()).put("createdAt", date(c.createdAt())).put("priority", c.priority().name())
      .put("state", c.state().wire()).put("firstResponseDueAt", date(c.firstResponseDueAt()))
      .put("assignee", c.assignee()).put("claimExpiresAt", date(c.claimExpiresAt()))
      .put("lastCustomerTweetId", c.lastCustomerTweetId())
      .put("messages", new JsonArray(c.messages().stream().map(CaseDocuments::message).toList()))
      .put("openedAt", date(c.openedAt())).put("updatedAt", date(c.updatedAt())).put("order", c.order())
      .mergeIn(clockFields(clock));
    if (c.dismissReason() != null) doc.put("dismissReason", c.dismissReason());
    if (c.priorityReason() != null) doc.put("priorityReason", c.priorityReason());
    if (c.closedBy() != null) doc.put("closedBy", c.closedBy()).put("closedAt", date(c.closedAt()));
    return doc;
  }

  /** The running clock as stored on the case; the monitor reads these to warn and breach once each. */
  public static JsonObject clockFields(Case.ServiceClock d) {
    return new JsonObject()
      .put("dueAt", date(d.dueAt())).put("warnAt", date(d.warnAt()))
      .put("slaMetric", d.metric().wire()).put("slaPolicyId", d.policyId()).put("slaStart", date(d.start()))
      .put("slaBusinessHours", d.businessHours()).put("slaEscalate", d.escalateOnBreach())
      .put("warned", d.warned()).put("breached", d.breached());
  }

  /**
   * The turn's fields as set on a case: the turn itself and {@code customerConfirmed}, a flat flag beside it so a count
   * of confirmed cases is a plain query.
   */
  static JsonObject turnFields(Case.Turn t) {
    return new JsonObject().put("turn", new JsonObject().put("postId", t.postId()).put("thanks", t.thanks()).put("by", t.by())
      .put("reason", t.reason())).put("customerConfirmed", t.thanks());
  }

  private static Case.Turn turn(JsonObject t) {
    return t == null ? null : new Case.Turn(t.getString("postId"), t.getBoolean("thanks", false), t.getString("by"), t.getString("reason"));
  }

  /** How many times a stopped clock of the case was restored by an undo: the round of its next SLA stop. */
  static int restores(JsonObject d) {
    return d.getInteger("slaRestores", 0);
  }

  /** The undo snapshot of the case's latest close, stored beside it as {@code undo}. */
  static JsonObject undo(Reopening.Snapshot s) {
    return new JsonObject().put("token", s.token()).put("closedAs", s.closedAs().wire()).put("closedBy", s.closedBy())
      .put("closedAt", date(s.closedAt())).put("expiresAt", date(s.expiresAt())).put("usedAt", date(s.usedAt()))
      .put("state", s.state().wire()).put("priorClosedBy", s.priorClosedBy()).put("priorClosedAt", date(s.priorClosedAt()))
      .put("dueAt", date(s.dueAt())).put("updatedAt", date(s.updatedAt())).put("order", s.order())
      .put("dismissReason", s.dismissReason()).put("stoppedClock", s.stoppedClock()).put("round", s.round());
  }

  static Reopening.Snapshot undo(JsonObject d) {
    JsonObject u = d.getJsonObject("undo");
    if (u == null || u.getString("token") == null) return null;
    return new Reopening.Snapshot(u.getString("token"), CaseState.fromWire(u.getString("closedAs")), u.getString("closedBy"),
      instant(u, "closedAt"), instant(u, "expiresAt"), instant(u, "usedAt"), CaseState.fromWire(u.getString("state")),
      u.getString("priorClosedBy"), instant(u, "priorClosedAt"), instant(u, "dueAt"), instant(u, "updatedAt"), u.getString("order"),
      u.getString("dismissReason"), u.getBoolean("stoppedClock", false), u.getInteger("round", 0));
  }

  /** What an undo sets: the fields the close changed, as they were; the snapshot marked used. */
  static JsonObject restored(Reopening.Snapshot s, Instant now) {
    return new JsonObject().put("state", s.state().wire()).put("closedBy", s.priorClosedBy()).put("closedAt", date(s.priorClosedAt()))
      .put("dueAt", date(s.dueAt())).put("updatedAt", date(s.updatedAt())).put("order", s.order())
      .put("dismissReason", s.dismissReason()).put("undo.usedAt", date(now));
  }

  public static JsonObject message(Case.Message m) {
    JsonObject doc = new JsonObject().put("tweetId", m.tweetId()).put("from", m.from().wire()).put("handle", m.handle())
      .put("text", m.text()).put("at", date(m.at()));
    if (m.replyId() != null) doc.put("replyId", m.replyId());
    if (m.agent() != null) doc.put("agent", m.agent());
    if (m.authorId() != null) doc.put("authorId", m.authorId());
    if (m.avatarUrl() != null) doc.put("avatarUrl", m.avatarUrl());
    if (m.inReplyTo() != null) doc.put("inReplyTo", parent(m.inReplyTo()));
    return doc;
  }

  /** The replied-to post as stored on a message and on its mention. */
  static JsonObject parent(Case.Parent p) {
    return new JsonObject().put("id", p.id()).put("text", p.text()).put("authorHandle", p.authorHandle())
      .put("authorName", p.authorName()).put("createdAt", date(p.createdAt()));
  }

  /** Null for a message or mention stored without one (older documents among them). */
  static Case.Parent parent(JsonObject p) {
    return p == null || p.getString("id") == null ? null
      : new Case.Parent(p.getString("id"), p.getString("text"), p.getString("authorHandle"), p.getString("authorName"), instant(p, "createdAt"));
  }

  static Case.Message message(JsonObject m) {
    return new Case.Message(m.getString("tweetId"), Case.From.fromWire(m.getString("from", "customer")), m.getString("handle"),
      m.getString("text"), instant(m, "at"), m.getString("replyId"), m.getString("agent"), m.getString("authorId"),
      m.getString("avatarUrl"), parent(m.getJsonObject("inReplyTo")));
  }

  public static JsonObject note(Case.Note n) {
    return new JsonObject().put("id", n.id()).put("author", n.author()).put("text", n.text()).put("at", date(n.at()));
  }

  static Case.Note note(JsonObject n) {
    return new Case.Note(n.getString("id"), n.getString("author"), n.getString("text"), instant(n, "at"));
  }

  static List<Case> all(List<JsonObject> docs) {
    return docs.stream().map(CaseDocuments::fromDocument).toList();
  }

  private static JsonObject date(java.time.Instant at) {
    return at == null ? null : Dates.bson(at);
  }

  private static java.time.Instant instant(JsonObject d, String field) {
    return Dates.instant(d.getValue(field));
  }
}
