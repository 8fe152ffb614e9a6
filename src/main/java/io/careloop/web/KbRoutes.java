package io.careloop.web;

import io.careloop.kb.KbService;
import io.careloop.errors.Invalid;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.Map;

import static io.careloop.web.Http.*;

/** The knowledge base for staff: articles, revisions, usage, tracked links and suggestions. Thin handlers: the contract has validated the input, one service call does the work. */
final class KbRoutes {
  private final Services s;
  private final String publicUrl;

  KbRoutes(Services s, String publicUrl) {
    this.s = s;
    this.publicUrl = publicUrl;
  }

  Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listArticles", this::listArticles),
      Map.entry("createArticle", this::createArticle),
      Map.entry("updateArticle", this::updateArticle),
      Map.entry("getArticle", this::getArticle),
      Map.entry("articleRevisions", this::articleRevisions),
      Map.entry("articleUsage", this::articleUsage),
      Map.entry("createLink", this::createLink),
      Map.entry("suggestArticles", this::suggestArticles));
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
      ctx.fail(new Invalid("missing-query", "give caseId or q"));
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
}
