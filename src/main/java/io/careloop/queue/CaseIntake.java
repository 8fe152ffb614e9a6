package io.careloop.queue;

import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.x.Post;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Turns posts read from X into cases. Idempotent end to end: the post id is the mention's key, a new case's id
 * derives from its opening mention, and a message is appended only if its post id is not in the case yet, so
 * re-reading a page after a crash or a fault changes nothing. Posts are taken one at a time, in the order given,
 * across all sources of this node, so two posts of one conversation can never open two cases.
 */
public final class CaseIntake {

  /** What became of one batch of posts. */
  public record Report(int opened, int joined, int alreadyKnown, int ownPosts, int retweets) {
    static final Report EMPTY = new Report(0, 0, 0, 0, 0);

    Report plus(Outcome o) {
      return new Report(opened + (o == Outcome.OPENED ? 1 : 0), joined + (o == Outcome.JOINED ? 1 : 0),
        alreadyKnown + (o == Outcome.ALREADY_KNOWN ? 1 : 0), ownPosts + (o == Outcome.OWN_POST ? 1 : 0),
        retweets + (o == Outcome.RETWEET ? 1 : 0));
    }
  }

  enum Outcome { OPENED, JOINED, ALREADY_KNOWN, OWN_POST, RETWEET }

  private final MongoCaseRepository cases;
  private final Database database;
  private final EventBus events;
  private final PriorityRules priorities;
  private final SlaPolicy sla;
  private final Clock clock;
  private final String brandHandle;
  private final String brandUserId;
  private Future<?> tail = Future.succeededFuture();

  public CaseIntake(MongoCaseRepository cases, Database database, EventBus events, PriorityRules priorities,
                    SlaPolicy sla, Clock clock, String brandHandle, String brandUserId) {
    this.cases = cases;
    this.database = database;
    this.events = events;
    this.priorities = priorities;
    this.sla = sla;
    this.clock = clock;
    this.brandHandle = brandHandle;
    this.brandUserId = brandUserId;
  }

  /** Stores the posts (oldest first, so a conversation's opening post comes before its follow-ups) and makes them durable. */
  public synchronized Future<Report> ingest(String sourceId, List<Post> newestFirst) {
    List<Post> oldestFirst = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    Future<Report> result = tail.transform(ignored -> {
      Future<Report> chain = Future.succeededFuture(Report.EMPTY);
      for (Post post : oldestFirst) {
        chain = chain.compose(report -> ingestOne(sourceId, post).map(report::plus));
      }
      return chain.compose(report -> database.durable().map(report));
    });
    tail = result;
    return result;
  }

  private Future<Outcome> ingestOne(String sourceId, Post post) {
    Outcome skip = brandUserId.equals(post.authorId()) ? Outcome.OWN_POST : post.retweet() ? Outcome.RETWEET : null;
    return cases.storeMention(mentionDocument(sourceId, post, skip)).compose(stored -> {
      if (skip != null) return Future.succeededFuture(skip);
      if (stored.getString("caseId") != null) return Future.succeededFuture(Outcome.ALREADY_KNOWN);
      return route(post).compose(routed -> cases.markMentionRouted(post.id(), routed.caseId)
        .onSuccess(v -> events.publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", routed.caseId)
          .put("reason", routed.outcome == Outcome.OPENED ? "opened" : "customer-wrote")))
        .map(routed.outcome));
    });
  }

  private record Routed(String caseId, Outcome outcome) {}

  private Future<Routed> route(Post post) {
    return cases.findOpenCase(post.conversationId(), post.inReplyToPostId()).compose(open -> {
      if (open == null) return openCase(post);
      return join(open, post);
    });
  }

  private Future<Routed> openCase(Post post) {
    Instant now = clock.instant();
    Priority priority = priorities.classify(post.text(), post.authorFollowers());
    Instant due = sla.firstResponseDue(post.createdAt(), priority);
    String id = caseIdFor(post.id());
    JsonObject doc = new JsonObject()
      .put("_id", id)
      .put("brand", brandHandle)
      .put("tweetId", post.id())
      .put("conversationId", post.conversationId() == null ? post.id() : post.conversationId())
      .put("customer", new JsonObject().put("handle", post.authorHandle()).put("name", post.authorName())
        .put("userId", post.authorId()).put("followers", post.authorFollowers()))
      .put("text", post.text())
      .put("createdAt", Dates.bson(post.createdAt()))
      .put("priority", priority.name())
      .put("state", CaseState.NEW.wire())
      .put("dueAt", Dates.bson(due))
      .put("firstResponseDueAt", Dates.bson(due))
      .put("assignee", (Object) null)
      .put("claimExpiresAt", (Object) null)
      .put("lastCustomerTweetId", post.id())
      .put("messages", new JsonArray().add(customerMessage(post)))
      .put("openedAt", Dates.bson(now))
      .put("updatedAt", Dates.bson(now))
      .put("order", QueueOrder.key(CaseState.NEW, due, now, id));
    return cases.createCase(doc).map(new Routed(id, Outcome.OPENED));
  }

  private Future<Routed> join(JsonObject open, Post post) {
    String caseId = open.getString("_id");
    Instant now = clock.instant();
    CaseState state = CaseState.fromWire(open.getString("state"));
    JsonObject set = new JsonObject().put("lastCustomerTweetId", post.id()).put("updatedAt", Dates.bson(now));
    if (state == CaseState.REPLIED) {
      // The customer wrote again after our reply: back in the queue, with a next-response clock from their follow-up.
      Priority priority = Priority.valueOf(open.getString("priority"));
      Instant due = sla.nextResponseDue(post.createdAt(), priority);
      CaseState reopened = open.getString("assignee") != null ? CaseState.CLAIMED : CaseState.NEW;
      set.put("state", reopened.wire())
        .put("dueAt", Dates.bson(due))
        .put("nextResponseDueAt", Dates.bson(due))
        .put("nextResponseFrom", Dates.bson(post.createdAt()))
        .put("order", QueueOrder.key(reopened, due, now, caseId));
      if (reopened == CaseState.CLAIMED) set.put("claimExpiresAt", Dates.bson(now));
    }
    return cases.appendMessage(caseId, customerMessage(post), set).map(new Routed(caseId, Outcome.JOINED));
  }

  static String caseIdFor(String openingPostId) { return "c" + openingPostId; }

  private static JsonObject customerMessage(Post post) {
    return new JsonObject().put("tweetId", post.id()).put("from", "customer").put("handle", post.authorHandle())
      .put("text", post.text()).put("at", Dates.bson(post.createdAt()));
  }

  private JsonObject mentionDocument(String sourceId, Post post, Outcome skipped) {
    return new JsonObject()
      .put("_id", post.id())
      .put("sourceId", sourceId)
      .put("authorId", post.authorId())
      .put("handle", post.authorHandle())
      .put("text", post.text())
      .put("createdAt", Dates.bson(post.createdAt()))
      .put("conversationId", post.conversationId())
      .put("inReplyToId", post.inReplyToPostId())
      .put("disposition", skipped == null ? "queued" : skipped == Outcome.OWN_POST ? "own-post" : "retweet")
      .put("caseId", (Object) null)
      .put("receivedAt", Dates.bson(clock.instant()));
  }
}
