package io.careloop.listening;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Listening: mentions from the X stand-in become cases, exactly once")
class IngestionTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  static final String MENTIONS = "mentions-" + Harness.BRAND_ID;
  static final String KEYWORD = "search-acme-cloud";

  static JsonObject caseFor(Harness h, long tweetId) {
    return h.mongo().findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", "c" + tweetId), null).await();
  }

  static void customers(StandInTimeline t) {
    t.account("11", "ann", "Ann", 120);
    t.account("12", "bo", "Bo", 50_000);
    t.account("13", "cy", "Cy", 10);
    t.account("14", "di", "Di", 5);
  }

  @Test
  @DisplayName("a scripted stream: questions open cases, own posts and retweets are skipped, follow-ups join, both sources dedupe")
  void scriptedStream(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data)) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      var q1 = t.publish("11", "@AcmeCloud how do I reset my password?", null, null);
      var own = t.publish(Harness.BRAND_ID, "@AcmeCloud team here: maintenance tonight", null, null);
      var rt = t.publish("12", "RT @AcmeCloud: maintenance tonight", null, own.id());
      var follow = t.publish("11", "@AcmeCloud still no email <b>anything</b>", q1.id(), null);
      var q2 = t.publish("13", "@AcmeCloud my backup is broken!!", null, null);
      var keywordOnly = t.publish("14", "is acme cloud down for anyone else?", null, null);
      var both = t.publish("12", "@AcmeCloud acme cloud invoices are wrong", null, null);
      var spam = t.publish("13", "@AcmeCloud buy followers cheap, DM me", null, null);

      eventually("8 mentions stored", WAIT, () -> h.count(MongoCaseRepository.MENTIONS, new JsonObject()) == 8);
      eventually("5 cases and the follow-up routed", WAIT, () -> h.cases().size() == 5
        && h.count(MongoCaseRepository.MENTIONS, new JsonObject().put("disposition", "queued").put("caseId", (Object) null)) == 0);

      JsonObject c1 = caseFor(h, q1.id());
      assertEquals(2, c1.getJsonArray("messages").size(), "the follow-up joined the open case");
      assertEquals("@AcmeCloud still no email <b>anything</b>", c1.getJsonArray("messages").getJsonObject(1).getString("text"));
      assertEquals(String.valueOf(follow.id()), c1.getString("lastCustomerTweetId"));
      assertEquals("normal", c1.getString("priority"));
      assertEquals("high", caseFor(h, q2.id()).getString("priority"));
      assertNotNull(caseFor(h, keywordOnly.id()), "keyword search opened a case");
      assertNotNull(caseFor(h, both.id()), "seen by both sources, one case");
      JsonObject spamCase = caseFor(h, spam.id());
      assertEquals("dismissed", spamCase.getString("state"), "obvious spam is dismissed on arrival");
      assertEquals("auto: spam offer", spamCase.getString("dismissReason"));
      assertNull(spamCase.getValue("dueAt"));
      assertNull(caseFor(h, own.id()));
      assertNull(caseFor(h, rt.id()));
      assertEquals("own-post", h.mongo().findOne(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", String.valueOf(own.id())), null).await().getString("disposition"));
      assertEquals("retweet", h.mongo().findOne(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", String.valueOf(rt.id())), null).await().getString("disposition"));

      // The case's first-response deadline counts from when the customer wrote, not when we polled.
      var due = java.time.Instant.parse(c1.getJsonObject("dueAt").getString("$date"));
      assertEquals(q1.createdAt().plus(Duration.ofMinutes(60)).toEpochMilli(), due.toEpochMilli());
    }
  }

  @Test
  @DisplayName("a customer answering our reply reopens the case with a next-response deadline from their follow-up")
  void followUpAfterReplyReopens(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data)) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      var q = t.publish("11", "@AcmeCloud where is my API key?", null, null);
      eventually("case opened", WAIT, () -> caseFor(h, q.id()) != null);
      Agent agent = h.newAgent("alice", "agent");
      String caseId = "c" + q.id();
      JsonObject reply = agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@ann Settings > API")).expect(201).json();
      assertEquals("replied", agent.get("/api/cases/" + caseId).expect(200).json().getString("state"));
      assertNull(agent.get("/api/cases/" + caseId).json().getString("dueAt"), "no clock while we wait on the customer");

      var answer = t.publish("11", "@AcmeCloud found it, but it's greyed out?", Long.parseLong(reply.getString("xTweetId")), null);
      eventually("case reopened", WAIT, () -> "claimed".equals(agent.get("/api/cases/" + caseId).json().getString("state")));
      JsonObject c = agent.get("/api/cases/" + caseId).json();
      assertEquals(4 - 1, c.getJsonArray("messages").size(), "question, our reply, their answer");
      assertEquals(answer.createdAt().plus(Duration.ofMinutes(60)).toString().substring(0, 19), c.getString("nextResponseDueAt").substring(0, 19));
      assertEquals(c.getString("nextResponseDueAt"), c.getString("dueAt"));
      assertEquals(1, h.cases().size());
    }
  }

  @Test
  @DisplayName("follow-ups find their case by post links; a database from before the links gets them at start, and a case"
    + " opened just before a crash is finished, not opened twice")
  void postLinksAndTheirMigration(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, java.util.Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      var q1 = t.publish("11", "@AcmeCloud links before the upgrade?", null, null);
      var q2 = t.publish("13", "@AcmeCloud crashed half-way?", null, null);
      eventually("two cases", WAIT, () -> h.cases().size() == 2);
      // Cases are written before their clocks and routing: wait for the whole page to be done before tampering with it.
      eventually("both mentions routed", WAIT, () -> h.count(MongoCaseRepository.MENTIONS, new JsonObject().put("caseId", new JsonObject().put("$ne", null))) == 2);
      assertEquals("c" + q1.id(), h.mongo().findOne(MongoCaseRepository.CASE_THREADS, new JsonObject().put("_id", String.valueOf(q1.id())), null)
        .await().getString("caseId"));

      // As a database from before the links: none stored, no migration recorded.
      // And q2 as if the process died after creating its case but before its clock and its mention's routing.
      h.mongo().removeDocuments(MongoCaseRepository.CASE_THREADS, new JsonObject()).await();
      h.mongo().removeDocuments("migrations", new JsonObject()).await();
      h.mongo().removeDocuments(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject().put("caseId", "c" + q2.id())).await();
      h.mongo().updateCollection(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", String.valueOf(q2.id())),
        new JsonObject().put("$set", new JsonObject().put("caseId", (Object) null))).await();
      h.mongo().updateCollection("sources", new JsonObject(), new JsonObject().put("$unset", new JsonObject().put("sinceId", ""))).await();
      h.restart();

      assertEquals("c" + q1.id(), h.mongo().findOne(MongoCaseRepository.CASE_THREADS, new JsonObject().put("_id", String.valueOf(q1.id())), null)
        .await().getString("caseId"), "links rebuilt from the cases");
      var follow = t.publish("11", "@AcmeCloud and after it?", q1.id(), null);
      eventually("the follow-up joined", WAIT, () -> caseFor(h, q1.id()).getJsonArray("messages").size() == 2);
      eventually("q2 routed again", WAIT, () -> ("c" + q2.id()).equals(
        h.mongo().findOne(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", String.valueOf(q2.id())), null).await().getString("caseId")));
      assertEquals(2, h.cases().size(), "nothing opened twice");
      assertEquals(1, caseFor(h, q2.id()).getJsonArray("messages").size(), "q2 did not join itself");
      assertEquals(1, h.count(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject().put("caseId", "c" + q2.id()).put("kind", "applied")),
        "its first-response clock recorded once");
      assertEquals(String.valueOf(follow.id()), caseFor(h, q1.id()).getString("lastCustomerTweetId"));
    }
  }

  @Test
  @DisplayName("with CARELOOP_X_API=v1.1 the same loop runs on the v1.1 endpoints: mention, case, reply in thread, follow-up joins")
  void v1Loop(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_X_API", "v1.1"))) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      var q = t.publish("11", "@AcmeCloud v1 question?", null, null);
      var keyword = t.publish("13", "acme cloud on v1.1 works?", null, null);
      eventually("two cases", WAIT, () -> h.cases().size() == 2);
      assertNotNull(caseFor(h, keyword.id()));
      Agent agent = h.newAgent("vic", "agent");
      JsonObject reply = agent.post("/api/cases/c" + q.id() + "/reply", new JsonObject().put("text", "@ann answered on v1.1")).expect(201).json();
      assertEquals(q.id(), t.post(Long.parseLong(reply.getString("xTweetId"))).orElseThrow().inReplyToId());
      t.publish("11", "@AcmeCloud thanks!", Long.parseLong(reply.getString("xTweetId")), null);
      eventually("follow-up joined by the replied-to post", WAIT,
        () -> caseFor(h, q.id()).getJsonArray("messages").size() == 3);
      assertEquals(2, h.cases().size());
      long v1Calls = h.standIn().stats().getJsonObject("requests").getLong("GET /1.1/statuses/mentions_timeline.json", 0L);
      assertTrue(v1Calls > 0);
      assertNull(h.standIn().stats().getJsonObject("requests").getLong("GET /2/users/:id/mentions"));
    }
  }

  @Test
  @DisplayName("one poll follows pagination to the end: 250 mentions in three pages, all become cases")
  void pagination(Vertx vertx, @TempDir Path data) {
    Harness h = Harness.start(vertx, data);
    try (h) {
      h.stopApp();
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      for (int i = 0; i < 250; i++) t.publish(i % 2 == 0 ? "11" : "13", "@AcmeCloud question number " + i + "?", null, null);
      h.restart();
      eventually("250 cases", WAIT, () -> h.cases().size() == 250);
      long mentionsCalls = h.standIn().stats().getJsonObject("requests").getLong("GET /2/users/:id/mentions");
      assertTrue(mentionsCalls >= 3, "three pages at least, was " + mentionsCalls);
    }
  }

  @Test
  @DisplayName("under 429, 503, malformed JSON, slow answers and resets the same stream yields the same cases, no duplicates")
  void faults(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data)) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      h.standIn().inject(new Fault(Fault.Kind.RATE_LIMIT, 1, "/2/users", 1));
      h.standIn().inject(new Fault(Fault.Kind.UNAVAILABLE, 2, "/2/", 0));
      h.standIn().inject(new Fault(Fault.Kind.MALFORMED, 2, "/2/", 0));
      h.standIn().inject(new Fault(Fault.Kind.SLOW, 2, "/2/", 300));
      h.standIn().inject(new Fault(Fault.Kind.RESET, 3, "/2/", 0));
      Set<String> released = new HashSet<>();
      for (int i = 0; i < 150; i++) {
        released.add(String.valueOf(t.publish(List.of("11", "12", "13").get(i % 3), "@AcmeCloud fault test " + i + " acme cloud?", null, null).id()));
      }
      eventually("150 cases", WAIT, () -> h.cases().size() == 150);
      // Nothing more may arrive: each source polls twice more, and then the cases are counted.
      h.awaitPolls(MENTIONS, 2);
      h.awaitPolls(KEYWORD, 2);
      List<JsonObject> cases = h.cases();
      assertEquals(150, cases.size());
      Set<String> caseTweets = new HashSet<>();
      cases.forEach(c -> caseTweets.add(c.getString("tweetId")));
      assertEquals(released, caseTweets);
      assertEquals(150, h.count(MongoCaseRepository.MENTIONS, new JsonObject()));
      // The last injected faults may land on a poll after every case is stored: recovery is certain, so wait for it.
      java.util.function.Supplier<JsonObject> health = () -> h.mongo().findOne(MongoSourceRepository.SOURCES,
        new JsonObject().put("_id", "mentions-" + Harness.BRAND_ID), null).await().getJsonObject("health");
      eventually("the source recovered", WAIT, () -> health.get().getInteger("consecutiveFailures") == 0);
      assertNotNull(health.get().getValue("lastErrorAt"), "the faults were recorded on the source");
      assertEquals(150, h.cases().size(), "and recovery changed nothing");
    }
  }

  @Test
  @DisplayName("a failure on page two leaves the checkpoint where it was; the retry reads both pages again and dedupes")
  void failureMidPagination(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      h.stopApp();
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      for (int i = 0; i < 150; i++) t.publish("11", "@AcmeCloud mid-pagination " + i, null, null);
      h.standIn().inject(new Fault(Fault.Kind.MALFORMED, 1, "/2/users", 0).afterSkipping(1));
      h.restart();
      eventually("150 cases", WAIT, () -> h.cases().size() == 150);
      h.awaitPolls(MENTIONS, 2);
      assertEquals(150, h.cases().size());
      long calls = h.standIn().stats().getJsonObject("requests").getLong("GET /2/users/:id/mentions");
      assertTrue(calls >= 4, "page 1, failed page 2, then pages 1 and 2 again; was " + calls);
    }
  }

  @Test
  @DisplayName("after a restart polling resumes from the stored checkpoint: nothing lost, nothing twice")
  void restartFromCheckpoint(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data)) {
      StandInTimeline t = h.standIn().timeline();
      customers(t);
      for (int i = 0; i < 20; i++) t.publish("11", "@AcmeCloud before restart " + i, null, null);
      eventually("20 cases", WAIT, () -> h.cases().size() == 20);
      h.stopApp();
      for (int i = 0; i < 30; i++) t.publish("13", "@AcmeCloud while down " + i, null, null);
      long readsBefore = h.standIn().stats().getLong("postsServed");
      h.restart();
      eventually("50 cases", WAIT, () -> h.cases().size() == 50);
      h.awaitPolls(MENTIONS, 2);
      h.awaitPolls(KEYWORD, 2);
      assertEquals(50, h.cases().size());
      long readAfterRestart = h.standIn().stats().getLong("postsServed") - readsBefore;
      assertTrue(readAfterRestart <= 30 + 5, "resumed from the checkpoint instead of re-reading everything: read " + readAfterRestart);
    }
  }
}
