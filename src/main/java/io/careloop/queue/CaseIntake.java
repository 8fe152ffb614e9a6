package io.careloop.queue;

import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.x.Post;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** A customer's post now in a case: it opened the case, or it follows up on it. */
  public record Routed(String postId, String caseId, String text, boolean opened) {}

  private final MongoCaseRepository cases;
  private final Database database;
  private final EventBus events;
  private final PriorityRules priorities;
  private final SpamRules spam = new SpamRules();
  private final SlaService sla;
  private final SlaEvents slaEvents;
  private final Clock clock;
  private final ThanksOnly thanksOnly;
  /** Whether an X account is one of our brands (their posts are answers, not mentions). */
  private final java.util.function.Predicate<String> ownAccount;
  private Future<?> tail = Future.succeededFuture();
  private final List<java.util.function.Consumer<List<Routed>>> afterDurable = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CaseIntake.class);

  public CaseIntake(MongoCaseRepository cases, Database database, EventBus events, PriorityRules priorities,
                    SlaService sla, SlaEvents slaEvents, Clock clock, ThanksOnly thanksOnly, java.util.function.Predicate<String> ownAccount) {
    this.cases = cases;
    this.database = database;
    this.events = events;
    this.priorities = priorities;
    this.sla = sla;
    this.slaEvents = slaEvents;
    this.clock = clock;
    this.thanksOnly = thanksOnly;
    this.ownAccount = ownAccount;
  }

  /**
   * Stores the posts (oldest first, so a conversation's opening post comes before its follow-ups) and makes them durable.
   * Pages are taken in order by chaining onto {@code tail}, on the verticle's one event loop: no lock.
   */
  public Future<Report> ingest(String sourceId, String brand, List<Post> newestFirst) {
    List<Post> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    List<Routed> routed = new ArrayList<>();
    Future<Report> result = tail.transform(ignored -> ingestPage(sourceId, brand, oldestFirst, routed))
      .compose(report -> database.durable().map(report))
      .onSuccess(report -> { if (!routed.isEmpty()) tell(List.copyOf(routed)); });
    tail = result;
    return result;
  }

  /**
   * Told of the posts of each page once they are durable, in order: what reads their meaning (the vectors, a
   * follow-up's turn, priority) and auto-assignment run behind ingestion, never in its way. Listeners add up.
   */
  public void afterDurable(java.util.function.Consumer<List<Routed>> listener) {
    this.afterDurable.add(listener);
  }

  /** Each listener in turn; one that throws is logged and does not keep the others (or ingestion) from going on. */
  private void tell(List<Routed> routed) {
    for (var listener : afterDurable) {
      try {
        listener.accept(routed);
      } catch (RuntimeException e) {
        log.warn("A follow-up step on {} new posts failed (the posts are stored)", routed.size(), e);
      }
    }
  }

  private Outcome skipped(Post post) {
    return ownAccount.test(post.authorId()) ? Outcome.OWN_POST : post.retweet() ? Outcome.RETWEET : null;
  }

  /**
   * One page in a handful of bulk writes: every post stored as a mention; the posts that start a conversation open
   * their cases together; posts that continue a case (already open, or opened earlier in this page) are then added
   * one at a time, in order.
   */
  private Future<Report> ingestPage(String sourceId, String brand, List<Post> posts, List<Routed> routed) {
    List<Mention> mentions = posts.stream().map(p -> mention(sourceId, p, skipped(p))).toList();
    return cases.storeMentions(mentions).compose(unrouted -> {
      Report report = Report.EMPTY;
      List<Post> toRoute = new ArrayList<>();
      for (Post p : posts) {
        Outcome skip = skipped(p);
        if (skip != null) report = report.plus(skip);
        else if (unrouted.contains(p.id())) toRoute.add(p);
        else report = report.plus(Outcome.ALREADY_KNOWN);
      }
      Report known = report;
      List<Future<Case>> lookups = toRoute.stream().map(p -> cases.findOpenCase(p.conversationId(), p.inReplyToPostId())).toList();
      return Future.all(lookups).compose(found -> {
        List<Post> opening = new ArrayList<>();
        List<Post> continuing = new ArrayList<>();
        Set<String> openedHere = new HashSet<>();
        for (int i = 0; i < toRoute.size(); i++) {
          Post p = toRoute.get(i);
          if (continuesAnotherCase(found.resultAt(i), p) || openedHere.contains(p.conversationId()) || openedHere.contains(p.inReplyToPostId())) {
            continuing.add(p);
          } else {
            opening.add(p);
            openedHere.add(p.id());
            if (p.conversationId() != null) openedHere.add(p.conversationId());
          }
        }
        Future<Report> afterOpening = openCases(sourceId, brand, opening, routed).map(n -> {
          Report r = known;
          for (int i = 0; i < n; i++) r = r.plus(Outcome.OPENED);
          return r;
        });
        for (Post p : continuing) {
          afterOpening = afterOpening.compose(r -> routeOne(sourceId, brand, p, routed).map(r::plus));
        }
        return afterOpening;
      });
    });
  }

  private Future<Outcome> routeOne(String sourceId, String brand, Post post, List<Routed> routed) {
    return cases.findOpenCase(post.conversationId(), post.inReplyToPostId()).compose(open -> {
      if (!continuesAnotherCase(open, post)) return openCases(sourceId, brand, List.of(post), routed).map(Outcome.OPENED);
      String caseId = open.id();
      return join(open, post)
        .compose(v -> cases.markMentionsRouted(Map.of(post.id(), caseId)))
        .onSuccess(v -> {
          routed.add(new Routed(post.id(), caseId, post.text(), false));
          events.publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", caseId).put("reason", "customer-wrote"));
        })
        .map(Outcome.JOINED);
    });
  }

  /**
   * Whether the open case found for a post is another one the post continues. Finding the case the post itself
   * opened means a crash came after the case was created: opening it again finishes what is missing.
   */
  private static boolean continuesAnotherCase(Case open, Post post) {
    return open != null && !open.id().equals(caseIdFor(post.id()));
  }

  /**
   * Opens a case for each post: links and cases, then their first-response clocks, then the mentions marked routed,
   * in that order, so a crash anywhere leaves mentions unrouted and the next read finishes the job.
   */
  private Future<Integer> openCases(String sourceId, String brand, List<Post> posts, List<Routed> told) {
    if (posts.isEmpty()) return Future.succeededFuture(0);
    Instant now = clock.instant();
    List<Case> opened = new ArrayList<>();
    List<SlaEvent> clocks = new ArrayList<>();
    Map<String, String> routed = new LinkedHashMap<>();
    for (Post post : posts) {
      Case c = newCase(sourceId, brand, post, now, clocks);
      opened.add(c);
      routed.put(post.id(), c.id());
    }
    return cases.createCases(opened)
      .compose(v -> slaEvents.recordAll(clocks))
      .compose(v -> cases.markMentionsRouted(routed))
      .onSuccess(v -> {
        for (int i = 0; i < posts.size(); i++) {
          told.add(new Routed(posts.get(i).id(), opened.get(i).id(), posts.get(i).text(), true));
        }
        routed.values().forEach(id -> events.publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", id).put("reason", "opened")));
      })
      .map(posts.size());
  }

  /** The new case; its first-response clock goes to {@code clocks} (spam gets none). */
  private Case newCase(String sourceId, String brand, Post post, Instant now, List<SlaEvent> clocks) {
    PriorityRules.Ranked ranked = priorities.rank(post.text(), post.authorFollowers());
    Priority priority = ranked.priority();
    var facts = new SlaPolicy.CaseFacts(priority, sourceId, post.text(), post.authorFollowers());
    SlaBook.Deadline deadline = sla.book().deadline(SlaMetric.FIRST_RESPONSE, facts, post.createdAt());
    Instant due = deadline.dueAt();
    String id = caseIdFor(post.id());
    var customer = new Case.Customer(post.authorHandle(), post.authorName(), post.authorId(), post.authorFollowers(), post.authorProtected());
    var spamReason = spam.reason(post.text());
    // Spam is kept for the dismissed view, with no clock: never deleted, never in the queue.
    CaseState state = spamReason.isPresent() ? CaseState.DISMISSED : CaseState.NEW;
    Case.ServiceClock clock = spamReason.isPresent() ? running(deadline).stopped() : running(deadline);
    Case opened = new Case(id, brand, sourceId, post.id(), post.conversationId() == null ? post.id() : post.conversationId(), customer,
      post.text(), post.createdAt(), priority, state, clock, due, null, null, null, null, null, null, false, post.id(), null,
      List.of(customerMessage(post)), List.of(), List.of(), spamReason.orElse(null), spamReason.isPresent() ? "careloop" : null,
      spamReason.isPresent() ? now : null, now, now, QueueOrder.key(state, clock.dueAt(), now, id), null, ranked.reason());
    if (spamReason.isEmpty()) {
      clocks.add(new SlaEvent(id, SlaMetric.FIRST_RESPONSE, SlaEvent.Kind.applied, due, post.createdAt(), policyDetails(deadline).getMap()));
    }
    return opened;
  }

  /**
   * A follow-up joins its case. On a case we replied to, the words decide at once ({@link TurnClassifier#byRules}):
   * thanks only leaves it replied (or resolves it, per {@link ThanksOnly}) with no clock, customer confirmed; anything
   * else reopens it with a next-response clock from the follow-up. The meaning may revise this behind ingestion
   * ({@link Understanding}).
   */
  private Future<Void> join(Case open, Post post) {
    String caseId = open.id();
    Instant now = clock.instant();
    JsonObject set = new JsonObject().put("lastCustomerTweetId", post.id()).put("updatedAt", Dates.bson(now));
    SlaBook.Deadline deadline = null;
    if (!SlaRules.onCustomerWrote(open.state()).isEmpty()) {
      var verdict = TurnClassifier.byRules(post.text());
      set.mergeIn(CaseDocuments.turnFields(new Case.Turn(post.id(), verdict.thanks(), "rules", verdict.reason())));
      if (verdict.thanks()) {
        set.mergeIn(settled(thanksOnly, caseId, now));
      } else {
        deadline = nextResponse(open, post.text(), post.createdAt());
        set.mergeIn(reopened(open, deadline, post.createdAt(), now));
      }
    }
    SlaBook.Deadline next = deadline;
    return cases.appendMessage(caseId, customerMessage(post), set).compose(appended -> {
      if (!appended || next == null) return Future.succeededFuture();
      return recordReopened(slaEvents, caseId, next, post.createdAt());
    }).mapEmpty();
  }

  SlaBook.Deadline nextResponse(Case open, String text, Instant from) {
    var facts = new SlaPolicy.CaseFacts(open.priority(), open.sourceId(), text, open.customer().followers());
    return sla.book().deadline(SlaMetric.NEXT_RESPONSE, facts, from);
  }

  /** The customer wrote again after our reply: back in the queue, with a next-response clock from their follow-up. */
  static JsonObject reopened(Case open, SlaBook.Deadline deadline, Instant from, Instant now) {
    // Back with its holder only while their claim still runs; a lapsed claim (the usual case: the customer answers
    // long after our reply) puts it back unheld, so no view shows "claimed" on a case in Unassigned.
    boolean held = open.assignee() != null && open.claimExpiresAt() != null && open.claimExpiresAt().isAfter(now);
    CaseState reopened = held ? CaseState.CLAIMED : CaseState.NEW;
    JsonObject set = new JsonObject().put("state", reopened.wire())
      .put("nextResponseDueAt", Dates.bson(deadline.dueAt()))
      .put("nextResponseFrom", Dates.bson(from))
      .put("order", QueueOrder.key(reopened, deadline.dueAt(), now, open.id()))
      .put("closedBy", (Object) null).put("closedAt", (Object) null)
      .mergeIn(CaseDocuments.clockFields(running(deadline)));
    if (!held) set.put("assignee", (Object) null).put("claimExpiresAt", (Object) null);
    return set;
  }

  /** The clock a reopening starts: resumed, then the next-response target applied (once each, by their ids). */
  static Future<Void> recordReopened(SlaEvents slaEvents, String caseId, SlaBook.Deadline next, Instant from) {
    return slaEvents.record(caseId, SlaMetric.NEXT_RESPONSE, SlaEvent.Kind.resumed, next.dueAt(), from, null)
      .compose(r -> slaEvents.record(caseId, SlaMetric.NEXT_RESPONSE, SlaEvent.Kind.applied, next.dueAt(), from, policyDetails(next)))
      .mapEmpty();
  }

  /** A thanks-only follow-up: no clock runs, and the case is replied or resolved (closed by CareLoop, not an agent). */
  static JsonObject settled(ThanksOnly thanksOnly, String caseId, Instant now) {
    CaseState state = thanksOnly.state();
    JsonObject set = new JsonObject().put("state", state.wire()).put("dueAt", (Object) null).put("warnAt", (Object) null)
      .put("nextResponseDueAt", (Object) null).put("order", QueueOrder.key(state, null, now, caseId));
    if (state == CaseState.RESOLVED) set.put("closedBy", Understanding.CLOSED_BY).put("closedAt", Dates.bson(now));
    return set;
  }

  /** A clock started from a deadline of the SLA book, not yet warned or breached. */
  static Case.ServiceClock running(SlaBook.Deadline d) {
    return new Case.ServiceClock(d.metric(), d.policyId(), d.start(), d.warnAt(), d.dueAt(), d.businessHours(), d.escalateOnBreach(), false, false);
  }

  private static JsonObject policyDetails(SlaBook.Deadline d) {
    return new JsonObject().put("policyId", d.policyId()).put("businessHours", d.businessHours()).put("warnAt", d.warnAt().toString());
  }

  public static String caseIdFor(String openingPostId) { return "c" + openingPostId; }

  private static Case.Message customerMessage(Post post) {
    return new Case.Message(post.id(), Case.From.CUSTOMER, post.authorHandle(), post.text(), post.createdAt(), null, null,
      post.authorId(), post.authorAvatarUrl(), parent(post));
  }

  private static Case.Parent parent(Post post) {
    Post.Parent p = post.parent();
    return p == null ? null : new Case.Parent(p.id(), p.text(), p.authorHandle(), p.authorName(), p.createdAt());
  }

  private Mention mention(String sourceId, Post post, Outcome skipped) {
    Mention.Disposition disposition = skipped == null ? Mention.Disposition.QUEUED
      : skipped == Outcome.OWN_POST ? Mention.Disposition.OWN_POST : Mention.Disposition.RETWEET;
    return new Mention(post.id(), sourceId, post.authorId(), post.authorHandle(), post.text(), post.createdAt(), post.conversationId(),
      post.inReplyToPostId(), disposition, null, clock.instant(), post.authorAvatarUrl(), parent(post));
  }

}
