package io.careloop.scaleout;

import io.careloop.reply.MongoReplyRepository;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.store.Dates;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A reply another node left unfinished: taken over only once its sender's claim has run out (that node died or
 * hung), posted once; a node's own previous process's replies are taken at start.
 */
@ExtendWith(VertxExtension.class)
class PostingClaimsTest {

  @Test
  @DisplayName("a reply left 'posting' by another node is finished only after its claim runs out, once; this node's own are finished at start")
  void abandonedRepliesAreFinishedOnce(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent abe = h.newAgent("abe", "agent");
      h.standIn().timeline().account("61", "nia", "Nia", 10);
      h.standIn().timeline().account("62", "oto", "Oto", 10);
      var first = h.standIn().timeline().publish("61", "@AcmeCloud my invoice is wrong", null, null);
      var second = h.standIn().timeline().publish("62", "@AcmeCloud my export fails", null, null);
      eventually("two cases", Duration.ofSeconds(15), () -> h.count(MongoCaseRepository.CASES, new JsonObject()) == 2);
      abe.post("/api/cases/c" + first.id() + "/claim", null).expect(200);
      abe.post("/api/cases/c" + second.id() + "/claim", null).expect(200);

      Instant now = h.clock().instant();
      h.mongo().insert(MongoReplyRepository.REPLIES, reply("r-other", first.id(), "@nia we are fixing your invoice", "node-that-died", now.plusSeconds(60))).await();
      h.mongo().insert(MongoReplyRepository.REPLIES, reply("r-mine", second.id(), "@oto try the export again now", h.app().nodeId(), now.plusSeconds(60))).await();

      assertEquals(0, h.app().replies().recoverUnfinished(false).await(), "both senders' claims still run: nothing taken");
      assertEquals(0, postsSaying(h, "invoice") + postsSaying(h, "export again"));

      assertEquals(1, h.app().replies().recoverUnfinished(true).await(), "at start: this node's own previous process's reply");
      eventually("that reply posted", Duration.ofSeconds(10), () -> "posted".equals(state(h, "r-mine")));
      assertEquals("posting", state(h, "r-other"), "the other node's claim still runs");

      h.clock().advance(Duration.ofSeconds(61));
      assertEquals(1, h.app().replies().recoverUnfinished(false).await(), "the other node's claim ran out");
      eventually("the other node's reply posted", Duration.ofSeconds(10), () -> "posted".equals(state(h, "r-other")));
      assertEquals(0, h.app().replies().recoverUnfinished(false).await(), "nothing left to finish");
      assertEquals(1, postsSaying(h, "invoice"), "posted once");
      assertEquals(1, postsSaying(h, "export again"), "posted once");
      assertEquals(h.app().nodeId(), h.mongo().findOne(MongoReplyRepository.REPLIES, new JsonObject().put("_id", "r-other"), null).await().getString("node"));
    }
  }

  private static JsonObject reply(String id, long tweetId, String text, String node, Instant claimUntil) {
    return new JsonObject().put("_id", id).put("caseId", "c" + tweetId).put("brand", "AcmeCloud")
      .put("inReplyToTweetId", String.valueOf(tweetId)).put("text", text).put("agent", "abe")
      .put("state", "posting").put("attempts", 1).put("node", node).put("claimUntil", Dates.bson(claimUntil))
      .put("createdAt", Dates.bson(claimUntil.minusSeconds(70))).put("updatedAt", Dates.bson(claimUntil.minusSeconds(70)));
  }

  private static String state(Harness h, String id) {
    return h.mongo().findOne(MongoReplyRepository.REPLIES, new JsonObject().put("_id", id), null).await().getString("state");
  }

  private static long postsSaying(Harness h, String words) {
    return h.standIn().timeline().all().stream().filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.text().contains(words)).count();
  }
}
