package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.kb.KbService;
import io.careloop.queue.CaseView;
import io.careloop.errors.Problem;
import io.careloop.queue.CaseState;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyLength;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The JSON API: one thin handler per operation of {@code openapi/careloop.yaml}. For every operation the chain is
 * access (session, role, CSRF) → validation against the contract → handler, so a caller without the right never
 * learns anything from validation messages, and bad input never reaches a service.
 */
public final class ApiRoutes {
  private static final String VALIDATED = "careloop.validated";

  private final Vertx vertx;
  private final OpenAPIContract contract;
  private final Access access;
  private final Services s;
  private final Clock clock;
  private final String publicUrl;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  public ApiRoutes(Vertx vertx, OpenAPIContract contract, Access access, Services services, Clock clock, String publicUrl) {
    this.publicUrl = publicUrl;
    this.vertx = vertx;
    this.contract = contract;
    this.access = access;
    this.s = services;
    this.clock = clock;
    this.validator = RequestValidator.create(vertx, contract);
  }

  /** Mounts every operation; fails fast at start if the contract has an operation without a handler. */
  public void mount(RouterBuilder builder) {
    Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
      Map.entry("login", this::login),
      Map.entry("logout", this::logout),
      Map.entry("me", this::me),
      Map.entry("listUsers", this::listUsers),
      Map.entry("updateUser", this::updateUser),
      Map.entry("resetPassword", this::resetPassword),
      Map.entry("changeOwnPassword", this::changeOwnPassword),
      Map.entry("createUser", this::createUser),
      Map.entry("listCases", this::listCases),
      Map.entry("getCase", this::getCase),
      Map.entry("claimCase", this::claimCase),
      Map.entry("replyToCase", this::replyToCase),
      Map.entry("retryReply", this::retryReply),
      Map.entry("dismissCase", this::dismissCase),
      Map.entry("resolveCase", this::resolveCase),
      Map.entry("measureReply", this::measureReply),
      Map.entry("listSources", this::listSources),
      Map.entry("addSource", this::addSource),
      Map.entry("updateSource", this::updateSource),
      Map.entry("countCases", this::countCases),
      Map.entry("assignCase", this::assignCase),
      Map.entry("addNote", this::addNote),
      Map.entry("setTags", this::setTags),
      Map.entry("viewingCase", this::viewingCase),
      Map.entry("caseSlaEvents", this::caseSlaEvents),
      Map.entry("renderCanned", this::renderCanned),
      Map.entry("listCanned", this::listCanned),
      Map.entry("saveCanned", this::saveCanned),
      Map.entry("getSla", this::getSla),
      Map.entry("putSla", this::putSla),
      Map.entry("listAudit", this::listAudit),
      Map.entry("listArticles", this::listArticles),
      Map.entry("createArticle", this::createArticle),
      Map.entry("getArticle", this::getArticle),
      Map.entry("updateArticle", this::updateArticle),
      Map.entry("articleRevisions", this::articleRevisions),
      Map.entry("articleUsage", this::articleUsage),
      Map.entry("createLink", this::createLink),
      Map.entry("suggestArticles", this::suggestArticles),
      Map.entry("liveEvents", ctx -> LiveEvents.stream(vertx, ctx, Access.user(ctx))));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.get(operationId);
      if (handler == null) throw new IllegalStateException("no handler for operation " + operationId);
      // Validation is ours, after the access check (the built-in one would run first).
      route.setDoValidation(false);
      if (!Boolean.TRUE.equals(route.getOperation().getExtensions().get("x-careloop-public"))) {
        route.addHandler(access.require(roles(route)));
      }
      route.addHandler(ctx -> validate(ctx, operationId)).addHandler(handler);
    }
  }

  static List<Role> roles(OpenAPIRoute route) {
    Object declared = route.getOperation().getExtensions().get("x-careloop-roles");
    if (!(declared instanceof JsonArray array)) {
      throw new IllegalStateException(route.getOperation().getOperationId() + " declares neither x-careloop-roles nor x-careloop-public");
    }
    return array.stream().map(r -> Role.fromWire(String.valueOf(r))).toList();
  }

  private void validate(RoutingContext ctx, String operationId) {
    extractor.extractValidatableRequest(ctx, contract.operation(operationId))
      .compose(request -> validator.validate(request, operationId))
      .onSuccess(validated -> {
        ctx.put(VALIDATED, validated);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }

  // ---- accounts ----

  private void login(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String userKey = "user:" + body.getString("username").toLowerCase(java.util.Locale.ROOT);
    String ipKey = "ip:" + ctx.request().remoteAddress().hostAddress();
    var blocked = s.throttle().blocked(userKey).or(() -> s.throttle().blocked(ipKey));
    if (blocked.isPresent()) {
      long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
      ctx.response().putHeader("Retry-After", String.valueOf(seconds));
      ctx.fail(new Problem(429, "too-many-attempts", "too many failed sign-ins; try again in " + seconds + " s",
        new JsonObject().put("retryAfterSeconds", seconds)));
      return;
    }
    s.users().authenticate(body.getString("username"), body.getString("password"))
      .onSuccess(user -> {
        s.throttle().succeeded(userKey);
        s.throttle().succeeded(ipKey);
        s.users().epoch(user.username()).onSuccess(epoch -> {
          String csrf = access.signIn(ctx, user, epoch);
          json(ctx, 200, new JsonObject().put("user", user.username()).put("roles", user.rolesJson()).put("csrfToken", csrf));
        }).onFailure(ctx::fail);
      })
      .onFailure(e -> {
        if (e instanceof Problem p && p.status() == 401) {
          s.throttle().failed(userKey);
          s.throttle().failed(ipKey);
        }
        ctx.fail(e);
      });
  }

  private void logout(RoutingContext ctx) {
    ctx.session().destroy();
    ctx.response().setStatusCode(204).end();
  }

  private void me(RoutingContext ctx) {
    UserService.User user = Access.user(ctx);
    json(ctx, 200, new JsonObject().put("user", user.username()).put("roles", user.rolesJson()).put("csrfToken", Access.csrfToken(ctx)));
  }

  private void listUsers(RoutingContext ctx) {
    respond(ctx, 200, s.users().list().map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = body(ctx);
    List<String> roles = body.getJsonArray("roles").stream().map(String::valueOf).toList();
    respond(ctx, 201, s.users().create(body.getString("username"), body.getString("password"), roles)
      .map(u -> new JsonObject().put("username", u.username()).put("roles", u.rolesJson()))
      .compose(u -> audited(ctx, "user.created", u.getString("username"), null, u)));
  }

  private void updateUser(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String username = v.getPathParameters().get("username").getString();
    JsonObject b = body(ctx);
    List<String> roles = b.getJsonArray("roles") == null ? null : b.getJsonArray("roles").stream().map(String::valueOf).toList();
    respond(ctx, 200, s.users().update(username, roles, b.getBoolean("disabled"))
      .compose(after -> audited(ctx, "user.updated", username, null, after)));
  }

  private void resetPassword(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String username = v.getPathParameters().get("username").getString();
    s.users().setPassword(username, body(ctx).getString("password"))
      .compose(x -> audited(ctx, "user.password-reset", username, null, null))
      .onSuccess(x -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** The user's own change: the old password is checked, other sessions end, this one is renewed. */
  private void changeOwnPassword(RoutingContext ctx) {
    UserService.User me = Access.user(ctx);
    JsonObject b = body(ctx);
    s.users().authenticate(me.username(), b.getString("currentPassword"))
      .recover(e -> Future.failedFuture(Problem.invalid("wrong-password", "the current password is not right")))
      .compose(u -> s.users().setPassword(me.username(), b.getString("newPassword")))
      .compose(x -> s.users().epoch(me.username()))
      .compose(epoch -> audited(ctx, "user.password-changed", me.username(), null, null).map(epoch))
      .onSuccess(epoch -> json(ctx, 200, new JsonObject().put("user", me.username()).put("roles", me.rolesJson())
        .put("csrfToken", access.signIn(ctx, me, epoch))))
      .onFailure(ctx::fail);
  }

  // ---- cases ----

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
    respond(ctx, 200, s.queue().list(filter, Access.user(ctx).username(), max, string(v.getQuery().get("cursor")))
      .map(page -> new JsonObject().put("items", CaseJson.views(page.items())).put("next", page.next())
        .put("serverTime", clock.instant().toString())));
  }

  private void getCase(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, s.queue().get(id).compose(doc -> s.replies().forCase(id)
      .compose(list -> s.queue().customerHistory(doc).map(history -> CaseJson.view(doc)
        .put("replies", new JsonArray(list))
        .put("customerHistory", CaseJson.history(history))
        .put("viewers", new JsonArray(s.presence().viewers(id)))
        .put("serverTime", clock.instant().toString())))));
  }

  private void claimCase(RoutingContext ctx) {
    respond(ctx, 200, s.queue().claim(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view));
  }

  private void dismissCase(RoutingContext ctx) {
    String reason = body(ctx).getString("reason");
    respond(ctx, 200, s.queue().dismiss(caseId(ctx), Access.user(ctx).username(), reason).map(CaseJson::view)
      .compose(c -> audited(ctx, "case.dismissed", c.getString("id"), null, new JsonObject().put("reason", reason)).map(c)));
  }

  private void resolveCase(RoutingContext ctx) {
    respond(ctx, 200, s.queue().resolve(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view)
      .compose(c -> audited(ctx, "case.resolved", c.getString("id"), null, null).map(c)));
  }

  private void replyToCase(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    JsonObject body = body(ctx);
    String key = string(v.getHeaders().get("Idempotency-Key"));
    String articleId = body.getString("kbArticleId");
    // The reply records which article it used: it must be one that exists.
    Future<Void> known = articleId == null ? Future.succeededFuture()
      : s.kb().get(articleId).<Void>mapEmpty().recover(e -> Future.failedFuture(Problem.invalid("unknown-article", "no KB article " + articleId)));
    answerReply(ctx, known.compose(ok -> s.replies().reply(caseId(ctx), Access.user(ctx).username(), body.getString("text"), articleId, key)));
  }

  private void retryReply(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    answerReply(ctx, s.replies().retry(caseId(ctx), v.getPathParameters().get("replyId").getString(), Access.user(ctx).username()));
  }

  /** A reply X did not take is stored and visible (state failed, with the error): 502 with the reply in the body. */
  private void answerReply(RoutingContext ctx, Future<JsonObject> reply) {
    reply.compose(r -> "posted".equals(r.getString("state"))
        ? audited(ctx, "case.replied", r.getString("caseId"), null, new JsonObject().put("xTweetId", r.getString("xTweetId")).put("text", r.getString("text"))).map(r)
        : Future.succeededFuture(r)).onSuccess(r -> {
      if ("failed".equals(r.getString("state"))) {
        ctx.fail(new Problem(502, "post-failed", "X did not take the reply: " + r.getString("error"), new JsonObject().put("reply", r)));
      } else {
        json(ctx, "posted".equals(r.getString("state")) ? 201 : 202, r);
      }
    }).onFailure(ctx::fail);
  }

  private void measureReply(RoutingContext ctx) {
    ReplyLength length = ReplyLength.of(body(ctx).getString("text"));
    json(ctx, 200, new JsonObject().put("weightedLength", length.weightedLength()).put("limit", length.limit())
      .put("remaining", length.remaining()).put("valid", length.valid()));
  }

  private void listSources(RoutingContext ctx) {
    respond(ctx, 200, s.sources().all().map(list -> new JsonObject()
      .put("items", new JsonArray(list.stream().map(d -> SourceJson.view(d, s.monthlyReadCap(), clock.instant())).toList()))
      .put("serverTime", clock.instant().toString())));
  }

  private void countCases(RoutingContext ctx) {
    respond(ctx, 200, s.queue().counts(Access.user(ctx).username()));
  }

  private void assignCase(RoutingContext ctx) {
    String assignee = body(ctx).getString("assignee");
    respond(ctx, 200, s.queue().assign(caseId(ctx), assignee).map(CaseJson::view)
      .compose(c -> audited(ctx, "case.assigned", c.getString("id"), null, new JsonObject().put("assignee", assignee)).map(c)));
  }

  private void addNote(RoutingContext ctx) {
    respond(ctx, 200, s.queue().addNote(caseId(ctx), Access.user(ctx).username(), body(ctx).getString("text")).map(CaseJson::view));
  }

  private void setTags(RoutingContext ctx) {
    List<String> tags = body(ctx).getJsonArray("tags").stream().map(String::valueOf).toList();
    respond(ctx, 200, s.queue().setTags(caseId(ctx), tags).map(CaseJson::view));
  }

  private void viewingCase(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, s.queue().get(id).map(doc -> new JsonObject()
      .put("viewers", new JsonArray(s.presence().viewing(id, Access.user(ctx).username())))));
  }

  private void caseSlaEvents(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, s.queue().get(id).compose(doc -> s.slaEvents().forCase(id))
      .map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void renderCanned(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String cannedId = v.getPathParameters().get("cannedId").getString();
    respond(ctx, 200, s.queue().get(caseId(ctx))
      .compose(doc -> s.canned().render(cannedId, doc, Access.user(ctx).username(), null))
      .map(text -> new JsonObject().put("text", text)));
  }

  private void listCanned(RoutingContext ctx) {
    respond(ctx, 200, s.canned().list().map(l -> new JsonObject().put("items", new JsonArray(l))));
  }

  private void saveCanned(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    JsonObject b = body(ctx);
    String id = v.getPathParameters().get("cannedId").getString();
    respond(ctx, 200, s.canned().save(id, b.getString("title"), b.getString("body"), Access.user(ctx).username())
      .compose(c -> audited(ctx, "canned.saved", id, null, c).map(c)));
  }

  private void getSla(RoutingContext ctx) {
    json(ctx, 200, s.sla().current());
  }

  private void putSla(RoutingContext ctx) {
    respond(ctx, 200, s.sla().replace(body(ctx), Access.user(ctx).username()));
  }

  private void listAudit(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    RequestParameter limit = v.getQuery().get("limit");
    respond(ctx, 200, s.audit().find(string(v.getQuery().get("action")), string(v.getQuery().get("actor")),
        limit == null || limit.isNull() ? 100 : limit.getInteger())
      .map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void listArticles(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String q = string(v.getQuery().get("q"));
    String status = string(v.getQuery().get("status"));
    var found = q != null ? s.kb().search(q, 20, false).map(l -> l.stream().filter(a -> status == null || status.equals(a.status())).toList())
      : s.kb().list(status);
    respond(ctx, 200, found.map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(KbService::view).toList()))));
  }

  private void createArticle(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 201, s.kb().create(draft(b), Access.user(ctx).username(), b.getBoolean("allowDuplicate", false)));
  }

  private void updateArticle(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, s.kb().update(articleId(ctx), draft(b), Access.user(ctx).username(), b.getBoolean("allowDuplicate", false)));
  }

  private void getArticle(RoutingContext ctx) {
    respond(ctx, 200, s.kb().get(articleId(ctx)).map(KbService::view));
  }

  private void articleRevisions(RoutingContext ctx) {
    String id = articleId(ctx);
    respond(ctx, 200, s.kb().get(id).compose(a -> s.kb().revisions(id)).map(l -> new JsonObject().put("items", new JsonArray(l))));
  }

  private void articleUsage(RoutingContext ctx) {
    String id = articleId(ctx);
    respond(ctx, 200, s.kb().get(id).compose(a -> s.kb().usage(id)));
  }

  private void createLink(RoutingContext ctx) {
    String caseId = body(ctx).getString("caseId");
    respond(ctx, 200, s.queue().get(caseId).compose(c -> s.kb().link(articleId(ctx), caseId, publicUrl)));
  }

  /** Suggestions for a case (from what the customer wrote) or for free text; published articles only. */
  private void suggestArticles(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String caseId = string(v.getQuery().get("caseId"));
    String q = string(v.getQuery().get("q"));
    if (caseId == null && q == null) {
      ctx.fail(Problem.invalid("missing-query", "give caseId or q"));
      return;
    }
    Future<String> text = caseId == null ? Future.succeededFuture(q) : s.queue().get(caseId).map(c -> c.getJsonArray("messages").stream()
      .map(m -> (JsonObject) m).filter(m -> "customer".equals(m.getString("from"))).map(m -> m.getString("text"))
      .reduce("", (a, b) -> a + " " + b));
    respond(ctx, 200, text.compose(t -> s.kb().search(t, 3, true))
      .map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(KbService::view).toList()))));
  }

  private static KbService.Draft draft(JsonObject b) {
    return new KbService.Draft(b.getString("title").trim(), b.getString("question").trim(),
      b.getJsonArray("steps").stream().map(String::valueOf).toList(), b.getString("product"),
      b.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(), b.getString("status"));
  }

  private static String articleId(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getPathParameters().get("articleId").getString();
  }

  private void addSource(RoutingContext ctx) {
    String keyword = body(ctx).getString("keyword").trim();
    respond(ctx, 201, s.listening().addKeyword(keyword).map(d -> SourceJson.view(d, s.monthlyReadCap(), clock.instant()))
      .compose(v -> audited(ctx, "source.added", v.getString("id"), null, v)));
  }

  private void updateSource(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String id = v.getPathParameters().get("sourceId").getString();
    boolean paused = body(ctx).getBoolean("paused");
    respond(ctx, 200, s.sources().setPaused(id, paused)
      .compose(d -> d == null ? Future.failedFuture(Problem.notFound("source " + id)) : Future.succeededFuture(SourceJson.view(d, s.monthlyReadCap(), clock.instant())))
      .compose(after -> audited(ctx, paused ? "source.paused" : "source.resumed", id, null, after)));
  }

  // ---- helpers ----

  /** Records the change in the audit log once it has happened. */
  private Future<JsonObject> audited(RoutingContext ctx, String action, String target, Object before, JsonObject after) {
    return s.audit().record(Access.user(ctx).username(), action, target, before, after).map(after);
  }

  private static String caseId(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getPathParameters().get("id").getString();
  }

  private static JsonObject body(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getBody().getJsonObject();
  }

  private static String string(RequestParameter p) {
    return p == null || p.isNull() ? null : p.getString();
  }

  private static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> json(ctx, status, body)).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
      .putHeader("cache-control", "no-store").end(body.encode());
  }
}
