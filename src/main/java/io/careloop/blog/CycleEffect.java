package io.careloop.blog;

import io.careloop.cycle.ClusterService;
import io.careloop.cycle.CycleMath;
import io.careloop.links.TrackedLinks;
import io.careloop.outbox.PostState;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether the cycle works: for a promoted cluster, how often its question was asked in the weeks before and after
 * its post went up, and the clicks on its links; across clusters, the funnel from mentions to clicks.
 */
public final class CycleEffect {
  public static final int WEEKS = 4;

  private final QueueService queue;
  private final ReplyService replies;
  private final ClusterService clusters;
  private final BlogService blog;
  private final TrackedLinks links;
  private final Clock clock;

  public CycleEffect(QueueService queue, ReplyService replies, ClusterService clusters, BlogService blog, TrackedLinks links, Clock clock) {
    this.queue = queue;
    this.replies = replies;
    this.clusters = clusters;
    this.blog = blog;
    this.links = links;
    this.clock = clock;
  }

  /** Weekly askings around publication, and clicks on the post's and the KB article's tracked links. */
  public Future<JsonObject> ofCluster(String clusterId) {
    return clusters.find(clusterId).compose(c -> {
      String postId = c.postId();
      String kb = c.dominantArticle();
      Future<Long> kbClicks = kb == null ? Future.succeededFuture(0L) : links.clicks(new JsonObject().put("articleId", kb));
      Future<BlogPost> post = postId == null ? Future.succeededFuture(null) : blog.find(postId);
      return Future.all(kbClicks, post, postId == null ? Future.succeededFuture(0L) : links.clicks(BlogService.linkTarget(postId))).map(all -> {
        BlogPost p = all.resultAt(1);
        JsonObject out = new JsonObject().put("clusterId", clusterId).put("postId", postId)
          .put("kbArticleId", kb).put("kbLinkClicks", all.<Long>resultAt(0)).put("postLinkClicks", all.<Long>resultAt(2))
          .put("postViews", p == null ? 0 : p.views());
        Instant published = p == null ? null : p.publishedAt();
        if (published == null) return out.put("published", false);
        CycleMath.Around around = CycleMath.around(c.days(), published, WEEKS, clock.instant());
        return out.put("published", true).put("publishedAt", published.toString())
          .put("weeksBefore", new JsonArray(around.before())).put("weeksAfter", new JsonArray(around.after()))
          .put("completeWeeksAfter", around.completeAfter())
          .put("weeklyBefore", round(around.averageBefore())).put("weeklyAfter", round(around.averageAfter()));
      });
    });
  }

  /** The cycle over the last {@code days}: mentions → answered with a KB link → promoted → views → tweets → clicks. */
  public Future<JsonObject> funnel(int days) {
    Instant since = clock.instant().minus(Duration.ofDays(days));
    Future<Long> mentions = queue.openedSince(since);
    Future<Long> withKb = replies.postedWithArticleSince(since);
    Future<List<BlogPost>> posts = blog.all();
    Future<JsonObject> feeds = blog.feedFetches();
    Future<Long> clicks = links.clicksSince(since);
    return Future.all(mentions, withKb, posts, feeds, clicks).map(all -> {
      List<BlogPost> ps = all.resultAt(2);
      JsonObject f = all.resultAt(3);
      long promoted = ps.stream().filter(p -> !p.createdAt().isBefore(since)).count();
      long published = ps.stream().filter(p -> p.publishedAt() != null && !p.publishedAt().isBefore(since)).count();
      long views = ps.stream().mapToLong(BlogPost::views).sum() + f.getLong("atom", 0L) + f.getLong("rss", 0L);
      long tweets = ps.stream().map(BlogPost::tweet).filter(t -> t != null && t.state() == PostState.POSTED
        && !t.postedAt().isBefore(since)).count();
      return new JsonObject().put("days", days).put("mentions", all.<Long>resultAt(0)).put("answeredWithKbLink", all.<Long>resultAt(1))
        .put("promoted", promoted).put("published", published).put("blogAndFeedViews", views)
        .put("proactiveTweets", tweets).put("clicks", all.<Long>resultAt(4));
    });
  }

  private static double round(double d) { return Math.round(d * 10) / 10.0; }
}
