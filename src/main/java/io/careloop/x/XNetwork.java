package io.careloop.x;

import io.careloop.outbox.Network;
import io.careloop.outbox.Posted;
import io.vertx.core.Future;

import java.util.Optional;

/** X as a network of the outbox: a reply to one post, or a post of the brand's own; failures recorded as X described them. */
public interface XNetwork extends Network {

  @Override
  default String describe(Throwable failure) {
    return failure instanceof XFailure xf ? xf.toString() : Network.super.describe(failure);
  }

  /** Replies to {@code inReplyToPostId} as the brand whose X user id is {@code brandUserId}. */
  static XNetwork replyTo(XService x, String brandUserId, String inReplyToPostId) {
    return new XNetwork() {
      public Future<Posted> post(String text) { return x.reply(inReplyToPostId, text).map(XNetwork::posted); }
      public Future<Optional<Posted>> find(String text) {
        return x.findReply(brandUserId, inReplyToPostId, text).map(found -> found.map(XNetwork::posted));
      }
    };
  }

  /** Posts on the brand's own timeline. */
  static XNetwork timeline(XService x, String brandUserId) {
    return new XNetwork() {
      public Future<Posted> post(String text) { return x.post(text).map(XNetwork::posted); }
      public Future<Optional<Posted>> find(String text) { return x.findPost(brandUserId, text).map(found -> found.map(XNetwork::posted)); }
    };
  }

  /** No way to post (no token for the brand): every attempt fails with {@code why}, and nothing is sent. */
  static XNetwork unavailable(String why) {
    return new XNetwork() {
      public Future<Posted> post(String text) { return Future.failedFuture(new IllegalStateException(why)); }
      public Future<Optional<Posted>> find(String text) { return Future.failedFuture(new IllegalStateException(why)); }
    };
  }

  private static Posted posted(Post p) {
    return new Posted(p.id(), p.createdAt());
  }
}
