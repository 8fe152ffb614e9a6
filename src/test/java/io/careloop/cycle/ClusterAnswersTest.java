package io.careloop.cycle;

import io.careloop.meaning.MentionVectors;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Question clusters keep their own record of the answers they placed, and repair what a crash left at start")
class ClusterAnswersTest {
  static Harness h;
  static Agent agent;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    agent = h.newAgent("abe", "agent");
    h.standIn().timeline().account("401", "ann", "Ann Oak", 40);
    h.standIn().timeline().account("402", "ben", "Ben Ash", 40);
    h.standIn().timeline().account("403", "cat", "Cat Elm", 40);
  }

  @AfterAll
  static void stop() { h.close(); }

  /** A customer asks, an agent answers; the reply's id once its case is a cluster member. */
  static String askAndAnswer(String authorId, String text) {
    // A test before may have restarted the app: its port is new.
    agent = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    var post = h.standIn().timeline().publish(authorId, text, null, null);
    String caseId = "c" + post.id();
    eventually("case " + caseId, Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    String handle = h.standIn().timeline().account(authorId).handle();
    JsonObject reply = agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@" + handle + " here is how (" + caseId + ")")).expect(201).json();
    assertEquals("posted", reply.getString("state"));
    eventually("case " + caseId + " clustered", Duration.ofSeconds(10), () -> member(caseId) != null);
    return reply.getString("id");
  }

  static JsonObject member(String caseId) {
    return h.mongo().findOne(MongoClusterRepository.MEMBERS, new JsonObject().put("_id", caseId), null).await();
  }

  static JsonObject cluster(String id) {
    return h.mongo().findOne(MongoClusterRepository.CLUSTERS, new JsonObject().put("_id", id), null).await();
  }

  static JsonObject reply(String id) {
    return h.mongo().findOne("replies", new JsonObject().put("_id", id), null).await();
  }

  @Test
  @DisplayName("from a database of before (a clustered flag in the replies, no answers of its own) nothing is counted twice and a missed answer is placed")
  void databaseFromBefore() {
    String r1 = askAndAnswer("401", "@AcmeCloud how do I export my invoices to csv?");
    String r2 = askAndAnswer("402", "@AcmeCloud how can I export invoices as csv");
    String r3 = askAndAnswer("403", "@AcmeCloud is the webinar on thursday recorded?");
    String c1 = reply(r1).getString("caseId");
    String c3 = reply(r3).getString("caseId");
    String exports = member(c1).getString("clusterId");
    String webinar = member(c3).getString("clusterId");
    int exportsSize = cluster(exports).getInteger("size");
    assertEquals(1, cluster(webinar).getInteger("size"));
    assertNull(reply(r1).getValue("clustered"), "the clusters no longer write into the replies");
    // The answer is recorded as seen just after its member is stored.
    eventually("answers seen", Duration.ofSeconds(10), () -> h.count(MongoClusterRepository.ANSWERS,
      new JsonObject().put("_id", new JsonObject().put("$in", new io.vertx.core.json.JsonArray().add(r1).add(r2).add(r3)))) == 3);
    long answers = h.count(MongoClusterRepository.ANSWERS, new JsonObject());

    // As the code before left things: replies flagged clustered, no cluster_answers; and one answer (r3) that a
    // crash left unclustered: its reply posted, no member, no counts.
    h.mongo().dropCollection(MongoClusterRepository.ANSWERS).await();
    for (String r : new String[] {r1, r2}) {
      h.mongo().updateCollection("replies", new JsonObject().put("_id", r), new JsonObject().put("$set", new JsonObject().put("clustered", true))).await();
    }
    h.mongo().removeDocument(MongoClusterRepository.MEMBERS, new JsonObject().put("_id", c3)).await();
    h.mongo().removeDocument(MongoClusterRepository.CLUSTERS, new JsonObject().put("_id", webinar)).await();

    h.restart();
    eventually("the missed answer clustered", Duration.ofSeconds(15), () -> member(c3) != null);
    assertEquals(exportsSize, cluster(exports).getInteger("size"), "answers clustered before are not counted again");
    assertEquals(1, cluster(member(c3).getString("clusterId")).getInteger("size"));
    assertEquals(answers, h.count(MongoClusterRepository.ANSWERS, new JsonObject()), "every posted answer is recorded as seen");

    h.restart();
    eventually("ready", Duration.ofSeconds(15), () -> h.count(MongoClusterRepository.ANSWERS, new JsonObject()) == answers);
    assertEquals(exportsSize, cluster(exports).getInteger("size"), "a second start changes nothing");
  }

  @Test
  @DisplayName("a member keeps its question's vector, and one stored without it (before vectors) is given it at start")
  void membersKeepTheirQuestionsVector() {
    agent = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    var post = h.standIn().timeline().publish("402", "@AcmeCloud does the desktop app work offline?", null, null);
    String caseId = "c" + post.id();
    eventually("case " + caseId, Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    eventually("the post's vector", Duration.ofSeconds(15), () -> vector(String.valueOf(post.id())) != null);
    agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@ben yes, all of it (" + caseId + ")")).expect(201);
    eventually("case " + caseId + " clustered", Duration.ofSeconds(10), () -> member(caseId) != null);
    assertEquals(vector(String.valueOf(post.id())), member(caseId).getString("v"), "placed by meaning, the vector kept with the member");

    h.mongo().updateCollection(MongoClusterRepository.MEMBERS, new JsonObject().put("_id", caseId),
      new JsonObject().put("$unset", new JsonObject().put("v", ""))).await();
    h.restart();
    eventually("the member given its vector", Duration.ofSeconds(15), () -> member(caseId).getString("v") != null);
    assertEquals(vector(String.valueOf(post.id())), member(caseId).getString("v"));
  }

  static String vector(String postId) {
    JsonObject v = h.mongo().findOne(MentionVectors.VECTORS, new JsonObject().put("_id", postId), null).await();
    return v == null ? null : v.getString("v");
  }

  @Test
  @DisplayName("a crash after a cluster's $inc but before its member was marked counted is recounted at start, not counted twice")
  void halfCountedMemberIsRecounted() {
    String r = askAndAnswer("401", "@AcmeCloud can I change the billing address on an invoice?");
    String caseId = reply(r).getString("caseId");
    String clusterId = member(caseId).getString("clusterId");
    int size = cluster(clusterId).getInteger("size");
    // The $inc went through (twice over, to make a double count visible), the member was never marked counted.
    h.mongo().updateCollection(MongoClusterRepository.MEMBERS, new JsonObject().put("_id", caseId),
      new JsonObject().put("$set", new JsonObject().put("counted", false))).await();
    h.mongo().updateCollectionWithOptions(MongoClusterRepository.CLUSTERS, new JsonObject().put("_id", clusterId),
      new JsonObject().put("$inc", new JsonObject().put("size", 1)), new UpdateOptions()).await();

    h.restart();
    eventually("recounted", Duration.ofSeconds(15), () -> member(caseId).getBoolean("counted"));
    assertEquals(size, cluster(clusterId).getInteger("size"), "the cluster counts its members, each once");
    assertTrue(member(caseId).getBoolean("counted"));
  }
}
