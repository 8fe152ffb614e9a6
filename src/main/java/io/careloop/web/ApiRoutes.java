package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.errors.Problem;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.queue.CaseState;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyLength;
import io.careloop.reply.ReplyService;
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
  private final UserService users;
  private final QueueService queue;
  private final ReplyService replies;
  private final MongoSourceRepository sources;
  private final Clock clock;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  public ApiRoutes(Vertx vertx, OpenAPIContract contract, Access access, UserService users, QueueService queue,
                   ReplyService replies, MongoSourceRepository sources, Clock clock) {
    this.vertx = vertx;
    this.contract = contract;
    this.access = access;
    this.users = users;
    this.queue = queue;
    this.replies = replies;
    this.sources = sources;
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
      Map.entry("liveEvents", ctx -> LiveEvents.stream(vertx, ctx)));
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
    users.authenticate(body.getString("username"), body.getString("password"))
      .onSuccess(user -> {
        String csrf = access.signIn(ctx, user);
        json(ctx, 200, new JsonObject().put("user", user.username()).put("roles", user.rolesJson()).put("csrfToken", csrf));
      })
      .onFailure(ctx::fail);
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
    respond(ctx, 200, users.list().map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = body(ctx);
    List<String> roles = body.getJsonArray("roles").stream().map(String::valueOf).toList();
    respond(ctx, 201, users.create(body.getString("username"), body.getString("password"), roles)
      .map(u -> new JsonObject().put("username", u.username()).put("roles", u.rolesJson())));
  }

  // ---- cases ----

  private void listCases(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String state = string(v.getQuery().get("state"));
    List<CaseState> states = state == null ? List.of()
      : state.equals("open") ? CaseState.OPEN
      : state.equals("waiting") ? CaseState.WAITING_ON_US
      : List.of(CaseState.fromWire(state));
    RequestParameter limit = v.getQuery().get("limit");
    int max = limit == null || limit.isNull() ? 50 : limit.getInteger();
    respond(ctx, 200, queue.list(states, string(v.getQuery().get("brand")), max, string(v.getQuery().get("cursor")))
      .map(page -> new JsonObject().put("items", CaseJson.views(page.items())).put("next", page.next())
        .put("serverTime", clock.instant().toString())));
  }

  private void getCase(RoutingContext ctx) {
    String id = caseId(ctx);
    respond(ctx, 200, queue.get(id).compose(doc -> replies.forCase(id)
      .map(list -> CaseJson.view(doc).put("replies", new JsonArray(list)).put("serverTime", clock.instant().toString()))));
  }

  private void claimCase(RoutingContext ctx) {
    respond(ctx, 200, queue.claim(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view));
  }

  private void dismissCase(RoutingContext ctx) {
    respond(ctx, 200, queue.dismiss(caseId(ctx), Access.user(ctx).username(), body(ctx).getString("reason")).map(CaseJson::view));
  }

  private void resolveCase(RoutingContext ctx) {
    respond(ctx, 200, queue.resolve(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view));
  }

  private void replyToCase(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    JsonObject body = body(ctx);
    String key = string(v.getHeaders().get("Idempotency-Key"));
    answerReply(ctx, replies.reply(caseId(ctx), Access.user(ctx).username(), body.getString("text"), body.getString("kbArticleId"), key));
  }

  private void retryReply(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    answerReply(ctx, replies.retry(caseId(ctx), v.getPathParameters().get("replyId").getString(), Access.user(ctx).username()));
  }

  /** A reply X did not take is stored and visible (state failed, with the error): 502 with the reply in the body. */
  private void answerReply(RoutingContext ctx, Future<JsonObject> reply) {
    reply.onSuccess(r -> {
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
    respond(ctx, 200, sources.all().map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(SourceJson::view).toList()))
      .put("serverTime", clock.instant().toString())));
  }

  // ---- helpers ----

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
