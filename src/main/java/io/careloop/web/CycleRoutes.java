package io.careloop.web;

import io.careloop.cycle.ClusterService;
import io.careloop.blog.CycleEffect;
import io.careloop.blog.BlogService;
import io.careloop.errors.NotFound;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.List;
import java.util.Map;

import static io.careloop.web.Http.*;

/** The virtuous cycle for community managers: cluster review, blog posts, proactive tweets, the funnel. Thin handlers. */
public final class CycleRoutes implements Operations {
  private final ClusterService clusters;
  private final BlogService blog;
  private final CycleEffect effect;

  public CycleRoutes(ClusterService clusters, BlogService blog, CycleEffect effect) {
    this.clusters = clusters;
    this.blog = blog;
    this.effect = effect;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listClusters", this::listClusters),
      Map.entry("getCluster", this::getCluster),
      Map.entry("promoteCluster", ctx -> respond(ctx, 201, blog.promote(clusterId(ctx), optionalBody(ctx).getBoolean("anonymise", false), user(ctx)))),
      Map.entry("mergeCluster", ctx -> respond(ctx, 200, clusters.merge(clusterId(ctx), body(ctx).getString("into"), user(ctx)))),
      Map.entry("splitCluster", ctx -> respond(ctx, 200, clusters.split(clusterId(ctx),
        body(ctx).getJsonArray("caseIds").stream().map(String::valueOf).toList(), user(ctx)))),
      Map.entry("dismissCluster", ctx -> respond(ctx, 200, clusters.dismiss(clusterId(ctx), user(ctx)))),
      Map.entry("listPosts", ctx -> respond(ctx, 200, blog.list(string(validated(ctx).getQuery().get("status")))
        .map(l -> new JsonObject().put("items", new JsonArray(l))))),
      // The post shows its cluster's effect too: askings before and after it went up, views and clicks. A post whose
      // cluster is gone has no effect to show; any other failure fails the request.
      Map.entry("getPost", ctx -> respond(ctx, 200, blog.get(postId(ctx)).compose(p -> effect.ofCluster(p.getString("clusterId"))
        .map(e -> p.put("effect", e)).recover(e -> e instanceof NotFound ? Future.succeededFuture(p) : Future.failedFuture(e))))),
      Map.entry("updatePost", this::updatePost),
      // Publishing and tweeting are two decisions: a publish posts to X only when this very request asks for it.
      Map.entry("publishPost", ctx -> {
        JsonObject b = optionalBody(ctx);
        respond(ctx, 200, blog.publish(postId(ctx), b.getBoolean("proactiveTweet", false), b.getString("text"), user(ctx)));
      }),
      Map.entry("unpublishPost", ctx -> respond(ctx, 200, blog.unpublish(postId(ctx), user(ctx)))),
      Map.entry("previewTweet", ctx -> {
        JsonObject b = optionalBody(ctx);
        respond(ctx, 200, blog.preview(postId(ctx), b.getString("text"), b.getString("title")));
      }),
      Map.entry("sendTweet", ctx -> respond(ctx, 200, blog.tweet(postId(ctx), optionalBody(ctx).getString("text"), user(ctx)))),
      Map.entry("cycleFunnel", ctx -> respond(ctx, 200, effect.funnel(days(ctx)))));
  }

  private void listClusters(RoutingContext ctx) {
    int days = days(ctx);
    RequestParameter minSize = validated(ctx).getQuery().get("minSize");
    int min = minSize == null || minSize.isNull() ? 2 : minSize.getInteger();
    respond(ctx, 200, clusters.ranked(days, min).map(l -> new JsonObject().put("days", days).put("items", new JsonArray(l))));
  }

  private void getCluster(RoutingContext ctx) {
    String id = clusterId(ctx);
    respond(ctx, 200, clusters.get(id).compose(c -> clusters.members(id, 50).compose(members -> effect.ofCluster(id)
      .map(effect -> c.put("members", new JsonArray(members.stream().map(m -> new JsonObject()
        .put("caseId", m.getString("_id")).put("text", m.getString("text")).put("handle", m.getString("handle"))
        .put("kbArticleId", m.getString("kbArticleId")).put("answer", m.getString("answer"))).toList()))
        .put("effect", effect)))));
  }

  private void updatePost(RoutingContext ctx) {
    JsonObject b = body(ctx);
    JsonArray tags = b.getJsonArray("tags");
    List<String> tagList = tags == null ? null : tags.stream().map(String::valueOf).toList();
    respond(ctx, 200, blog.update(postId(ctx), new BlogService.Edit(b.getString("title"), b.getString("body"), tagList,
      b.getBoolean("anonymise")), user(ctx)));
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(VALIDATED);
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    var body = validated(ctx).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }

  private static int days(RoutingContext ctx) {
    RequestParameter days = validated(ctx).getQuery().get("days");
    return days == null || days.isNull() ? 30 : days.getInteger();
  }

  private static String clusterId(RoutingContext ctx) {
    return validated(ctx).getPathParameters().get("clusterId").getString();
  }

  private static String postId(RoutingContext ctx) {
    return validated(ctx).getPathParameters().get("postId").getString();
  }

  private static String user(RoutingContext ctx) {
    return Access.user(ctx).username();
  }
}
