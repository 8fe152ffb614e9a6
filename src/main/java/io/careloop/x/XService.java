package io.careloop.x;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.Optional;

/**
 * Future-returning face of {@link XApi}: every call runs on a dedicated worker pool, never on an event loop,
 * because Twitter4J blocks for the whole HTTP exchange.
 */
public final class XService {
  private final XApi api;
  private final WorkerExecutor workers;

  public XService(Vertx vertx, XApi api) {
    this.api = api;
    this.workers = vertx.createSharedWorkerExecutor("careloop-x", 4);
  }

  public int largestPage() {
    return api.largestPage();
  }

  public Future<PostPage> mentions(String userId, String sinceId, String pageToken) {
    return workers.executeBlocking(() -> api.mentions(userId, sinceId, pageToken), false);
  }

  public Future<PostPage> search(String query, String sinceId, String pageToken) {
    return workers.executeBlocking(() -> api.search(query, sinceId, pageToken), false);
  }

  public Future<Post> reply(String inReplyToPostId, String text) {
    return workers.executeBlocking(() -> api.reply(inReplyToPostId, text), false);
  }

  public Future<Optional<Post>> findReply(String brandUserId, String inReplyToPostId, String text) {
    return workers.executeBlocking(() -> api.findReply(brandUserId, inReplyToPostId, text), false);
  }

  public Future<Post> post(String text) {
    return workers.executeBlocking(() -> api.post(text), false);
  }

  public Future<Optional<Post>> findPost(String brandUserId, String text) {
    return workers.executeBlocking(() -> api.findPost(brandUserId, text), false);
  }

  public Future<Void> close() { return workers.close(); }
}
