package io.careloop.web;

import io.careloop.outbox.PostState;
import io.careloop.reply.ReplyService;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.Presence;
import io.careloop.reply.CannedResponses;
import io.careloop.kb.KbService;
import io.careloop.audit.AuditLog;
import io.careloop.accounts.UserService;

import io.careloop.queue.CaseState;
import io.careloop.queue.CaseView;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyLength;
import io.careloop.errors.Invalid;
import io.careloop.errors.NotFound;
import io.careloop.errors.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static io.careloop.web.Http.*;

/** The queue and the work on a case: views, claims, replies, notes, tags, canned responses. Thin handlers: the contract has validated the input, one service call does the work. */
public final class CaseRoutes implements Operations {
  private final UserService users;
  private final QueueService queue;
  private final ReplyService replies;
  private final SlaEvents slaEvents;
  private final Presence presence;
  private final CannedResponses canned;
  private final KbService kb;
  private final AuditLog audit;
  private final Clock clock;

  public CaseRoutes(UserService users, QueueService queue, ReplyService replies, SlaEvents slaEvents, Presence presence, CannedResponses canned, KbService kb, AuditLog audit, Clock clock) {
    this.users = users;
    this.queue = queue;
    this.replies = replies;
    this.slaEvents = slaEvents;
    this.presence = presence;
    this.canned = canned;
    this.kb = kb;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listCases", this::listCases),
      Map.entry("getCase", this::getCase),
      Map.entry("claimCase", this::claimCase),
      Map.entry("dismissCase", this::dismissCase),
      Map.entry("resolveCase", this::resolveCase),
      Map.entry("replyToCase", this::replyToCase),
      Map.entry("retryReply", this::retryReply),
      Map.entry("measureReply", this::measureReply),
      Map.entry("countCases", this::countCases),
      Map.entry("assignCase", this::assignCase),
      Map.entry("addNote", this::addNote),
      Map.entry("setTags", this::setTags),
      Map.entry("viewingCase", this::viewingCase),
      Map.entry("caseSlaEvents", this::caseSlaEvents),
      Map.entry("renderCanned", this::renderCanned),
      Map.entry("listCanned", this::listCanned),
      Map.entry("saveCanned", this::saveCanned));
  }

  private void listCases(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String state = string(v.getQuery().get("state"));
    List<CaseState> states = state == null ? List.of()
      : state.equals("open") ? CaseState.OPEN
      : state.equals("waiting") ? CaseState.WAITING_ON_US
      : List.of(CaseState.fromWire(state));
    String view = string(v.getQuery().get("view"));
    var filter = new QueueService.Filter(view == null ? null : CaseView.fromWire(view), states,
      string(v.getQuery().get("brand")), string(v.getQuery().get("source")));
    RequestParameter limit = v.getQuery().get("limit");
    int max = limit == null || limit.isNull() ? 50 : limit.getInteger();
    Answer.after(ctx, queue.list(filter, Access.user(ctx).username(), max, string(v.getQuery().get("cursor"))),
      page -> pageOfCases(ctx, page));
  }

  /** The cases arrive encoded (the open queue keeps them so): the page is written around them, not re-encoded. */
  private void pageOfCases(RoutingContext ctx, QueueService.Page page) {
    Buffer body = Buffer.buffer(page.items().stream().mapToInt(b -> b.length + 1).sum() + 128).appendString("{\"items\":[");
    for (int i = 0; i < page.items().size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      body.appendBytes(page.items().get(i));
    }
    body.appendString("],\"next\":").appendString(page.next() == null ? "null" : Json.encode(page.next()))
      .appendString(",\"serverTime\":").appendString(Json.encode(clock.instant().toString())).appendString("}");
    ctx.response().setStatusCode(200).putHeader("content-type", "application/json; charset=utf-8")
      .putHeader("cache-control", "no-store").end(body);
  }

  private void getCase(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, queue.releaseLapsedClaims().compose(released -> queue.get(id)).compose(doc -> replies.forCase(id)
      .compose(list -> queue.customerHistory(doc).map(history -> CaseJson.view(doc)
        .put("replies", new JsonArray(list))
        .put("customerHistory", CaseJson.history(history))
        .put("viewers", new JsonArray(presence.viewers(id)))
        .put("serverTime", clock.instant().toString())))));
  }

  private void claimCase(RoutingContext ctx) {
    respond(ctx, 200, queue.claim(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view));
  }

  private void dismissCase(RoutingContext ctx) {
    respond(ctx, 200, CaseActions.dismiss(queue, audit, Access.user(ctx).username(), caseId(ctx), body(ctx).getString("reason"))
      .map(CaseActions.Closed::view));
  }

  private void resolveCase(RoutingContext ctx) {
    respond(ctx, 200, CaseActions.resolve(queue, audit, Access.user(ctx).username(), caseId(ctx)).map(CaseActions.Closed::view));
  }

  private void replyToCase(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    JsonObject body = body(ctx);
    String key = string(v.getHeaders().get("Idempotency-Key"));
    String articleId = body.getString("kbArticleId");
    // The reply records which article it used: it must be one that exists. Only "no such article" is the caller's
    // mistake; any other failure (the database away) passes as it is.
    Future<Void> known = articleId == null ? Future.succeededFuture()
      : kb.get(articleId).<Void>mapEmpty().recover(e -> Future.failedFuture(e instanceof NotFound
        ? new Invalid("unknown-article", "no KB article " + articleId, null, e) : e));
    answerReply(ctx, known.compose(ok -> replies.reply(caseId(ctx), Access.user(ctx).username(), body.getString("text"), articleId, key)));
  }

  private void retryReply(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    answerReply(ctx, replies.retry(caseId(ctx), v.getPathParameters().get("replyId").getString(), Access.user(ctx).username()));
  }

  /** A reply X did not take is stored and visible (state failed, with the error): 502 with the reply in the body. */
  private void answerReply(RoutingContext ctx, Future<JsonObject> reply) {
    Answer.after(ctx, reply.compose(r -> PostState.of(r.getString("state")) == PostState.POSTED
        ? audited(audit, ctx, "case.replied", r.getString("caseId"), null, new JsonObject().put("xTweetId", r.getString("xTweetId")).put("text", r.getString("text"))).map(r)
        : Future.succeededFuture(r)), r -> {
      if (PostState.of(r.getString("state")) == PostState.FAILED) {
        ctx.fail(new Upstream("post-failed", "X did not take the reply: " + r.getString("error"), Map.of("reply", r), null));
      } else {
        json(ctx, PostState.of(r.getString("state")) == PostState.POSTED ? 201 : 202, r);
      }
    });
  }

  private void measureReply(RoutingContext ctx) {
    ReplyLength length = ReplyLength.of(body(ctx).getString("text"));
    json(ctx, 200, new JsonObject().put("weightedLength", length.weightedLength()).put("limit", length.limit())
      .put("remaining", length.remaining()).put("valid", length.valid()));
  }

  private void countCases(RoutingContext ctx) {
    respond(ctx, 200, queue.counts(Access.user(ctx).username()));
  }

  private void assignCase(RoutingContext ctx) {
    String assignee = body(ctx).getString("assignee");
    String id = caseId(ctx);
    // Only someone who can work the case may hold it (null hands it back to the queue); checked before anything changes.
    // The user as stored (names ignore case: "ALICE" assigns alice).
    respond(ctx, 200, queue.get(id)
      .compose(doc -> assignee == null ? Future.<String>succeededFuture(null) : users.caseWorker(assignee).map(UserService.User::username))
      .compose(who -> CaseActions.assign(queue, audit, Access.user(ctx).username(), id, who)));
  }

  private void addNote(RoutingContext ctx) {
    respond(ctx, 200, queue.addNote(caseId(ctx), Access.user(ctx).username(), body(ctx).getString("text")).map(CaseJson::view));
  }

  private void setTags(RoutingContext ctx) {
    List<String> tags = body(ctx).getJsonArray("tags").stream().map(String::valueOf).toList();
    respond(ctx, 200, queue.setTags(caseId(ctx), tags).map(CaseJson::view));
  }

  private void viewingCase(RoutingContext ctx) {
    String id = caseId(ctx);
    String user = Access.user(ctx).username();
    // The holder's heartbeat renews their claim (they are working it); anyone else's only says they are looking.
    respond(ctx, 200, queue.renewClaim(id, user).map(doc -> new JsonObject()
      .put("viewers", new JsonArray(presence.viewing(id, user)))
      .put("state", doc.state().wire()).put("assignee", doc.assignee())
      .put("claimExpiresAt", CaseJson.iso(doc.claimExpiresAt())).put("serverTime", clock.instant().toString())));
  }

  private void caseSlaEvents(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, queue.get(id).compose(doc -> slaEvents.forCase(id))
      .map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void renderCanned(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String cannedId = v.getPathParameters().get("cannedId").getString();
    respond(ctx, 200, queue.get(caseId(ctx))
      .compose(c -> canned.render(cannedId, c.customer(), Access.user(ctx).username(), null))
      .map(text -> new JsonObject().put("text", text)));
  }

  private void listCanned(RoutingContext ctx) {
    respond(ctx, 200, canned.list().map(l -> new JsonObject().put("items", new JsonArray(l))));
  }

  private void saveCanned(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    JsonObject b = body(ctx);
    String id = v.getPathParameters().get("cannedId").getString();
    respond(ctx, 200, canned.save(id, b.getString("title"), b.getString("body"), Access.user(ctx).username())
      .compose(c -> audited(audit, ctx, "canned.saved", id, null, c).map(c)));
  }
}
