package io.careloop.web;

import io.careloop.queue.Case;
import io.careloop.queue.QueueService;
import io.careloop.kb.KbService;
import io.careloop.blog.BlogService;
import io.careloop.reply.ReplyService;
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
public final class KbRoutes implements Operations {
  private final QueueService queue;
  private final KbService kb;
  private final String publicUrl;

  private final ArticleUsage usage;
  private static final int SUGGESTIONS = 3;

  public KbRoutes(QueueService queue, KbService kb, ReplyService replies, BlogService blog, String publicUrl) {
    this.usage = new ArticleUsage(replies, queue, blog);
    this.queue = queue;
    this.kb = kb;
    this.publicUrl = publicUrl;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
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
    var found = q != null ? kb.search(q, 20, false).map(l -> l.stream().filter(a -> status == null || status.equals(a.status())).toList())
      : kb.list(status);
    respond(ctx, 200, found.map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(KbService::view).toList()))));
  }

  private void createArticle(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 201, kb.create(draft(b), Access.user(ctx).username(), b.getBoolean("allowDuplicate", false)));
  }

  private void updateArticle(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String id = articleId(ctx);
    // Changing a public answer lists where it was used: customers on those cases may be waiting on the old one.
    respond(ctx, 200, kb.update(id, draft(b), Access.user(ctx).username(), b.getBoolean("allowDuplicate", false))
      .compose(r -> (r.wasPublished() ? usage.of(id) : Future.succeededFuture(new JsonObject())).map(u -> r.view().put("affected", u))));
  }

  private void getArticle(RoutingContext ctx) {
    respond(ctx, 200, kb.get(articleId(ctx)).map(KbService::view));
  }

  private void articleRevisions(RoutingContext ctx) {
    String id = articleId(ctx);
    respond(ctx, 200, kb.get(id).compose(a -> kb.revisions(id)).map(l -> new JsonObject().put("items", new JsonArray(l))));
  }

  private void articleUsage(RoutingContext ctx) {
    String id = articleId(ctx);
    respond(ctx, 200, kb.get(id).compose(a -> usage.of(id)));
  }

  private void createLink(RoutingContext ctx) {
    String caseId = body(ctx).getString("caseId");
    respond(ctx, 200, queue.get(caseId).compose(c -> kb.link(articleId(ctx), caseId, publicUrl)));
  }

  /**
   * Suggestions for a case (from what the customer wrote) or for free text; published articles only, each with its
   * score and why, and none below the floor: an empty list means no article is confident enough.
   */
  private void suggestArticles(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String caseId = string(v.getQuery().get("caseId"));
    String q = string(v.getQuery().get("q"));
    if (caseId == null && q == null) {
      ctx.fail(new Invalid("missing-query", "give caseId or q"));
      return;
    }
    var found = caseId == null ? kb.suggest(q, SUGGESTIONS) : queue.get(caseId).compose(c -> kb.suggestFor(c.messages().stream()
      .filter(m -> m.from() == Case.From.CUSTOMER).map(m -> new KbService.Post(m.tweetId(), m.text())).toList(), SUGGESTIONS));
    respond(ctx, 200, found.map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(KbService::view).toList()))));
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
