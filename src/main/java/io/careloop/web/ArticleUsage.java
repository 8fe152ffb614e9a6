package io.careloop.web;

import io.careloop.blog.BlogService;
import io.careloop.queue.CaseState;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where an article was used: the replies that carried it, their cases (open ones flagged: their customers may be
 * waiting on an answer that changed) and the blog posts built on it. A view across three features, so it is put
 * together here from what each owner answers, not by the knowledge base reading their collections.
 */
final class ArticleUsage {
  private final ReplyService replies;
  private final QueueService queue;
  private final BlogService blog;

  ArticleUsage(ReplyService replies, QueueService queue, BlogService blog) {
    this.replies = replies;
    this.queue = queue;
    this.blog = blog;
  }

  Future<JsonObject> of(String articleId) {
    return replies.carrying(articleId).compose(carried -> {
      TreeSet<String> caseIds = new TreeSet<>();
      carried.forEach(r -> caseIds.add(r.getString("caseId")));
      Future<Map<String, CaseState>> states = queue.states(caseIds);
      Future<List<JsonObject>> posts = blog.builtOn(articleId);
      return Future.all(states, posts).map(all -> {
        Map<String, CaseState> byCase = all.resultAt(0);
        List<JsonObject> built = all.resultAt(1);
        List<String> known = new TreeSet<>(byCase.keySet()).stream().toList();
        return new JsonObject().put("replies", new JsonArray(carried))
          .put("cases", new JsonArray(known))
          .put("openCases", new JsonArray(known.stream().filter(id -> byCase.get(id).open()).toList()))
          .put("posts", new JsonArray(built));
      });
    });
  }
}
