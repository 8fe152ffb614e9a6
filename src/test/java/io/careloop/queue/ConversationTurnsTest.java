package io.careloop.queue;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
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
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Conversation turns and priority by meaning, end to end: the X stand-in, intake, the vectors, the case API")
class ConversationTurnsTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path data;

  static List<String> kinds(Agent a, String caseId) { return ServiceLevelsTest.kinds(a, caseId); }

  static JsonObject view(Agent a, String caseId) { return a.get("/api/cases/" + caseId).expect(200).json(); }

  static boolean waiting(Agent a, String caseId) {
    return a.get("/api/cases?state=waiting&limit=100").expect(200).json().getJsonArray("items").stream()
      .anyMatch(c -> caseId.equals(((JsonObject) c).getString("id")));
  }

  @Test
  @DisplayName("a thanks after our reply leaves the case replied and customer confirmed with no clock; a new question reopens it with one")
  void thanksThenQuestion(Vertx vertx) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("31", "dana", "Dana", 120);
      Agent agent = h.newAgent("alice", "agent");
      var q = t.publish("31", "@AcmeCloud how do I change my delivery address?", null, null);
      String id = "c" + q.id();
      eventually("case", WAIT, () -> agent.get("/api/cases/" + id).status() == 200);
      assertEquals("a question", view(agent, id).getString("priorityReason"));
      JsonObject reply = agent.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@dana Settings > Addresses")).expect(201).json();
      long replyPost = Long.parseLong(reply.getString("xTweetId"));

      var thanks = t.publish("31", "@AcmeCloud thanks, that worked! 👍", replyPost, null);
      eventually("the thanks joined", WAIT, () -> view(agent, id).getJsonArray("messages").size() == 3);
      JsonObject settled = view(agent, id);
      assertEquals("replied", settled.getString("state"), "not back in the queue as new work");
      assertTrue(settled.getBoolean("customerConfirmed"));
      assertEquals(String.valueOf(thanks.id()), settled.getJsonObject("turn").getString("tweetId"));
      assertNull(settled.getString("dueAt"), "no clock runs");
      assertFalse(waiting(agent, id));
      h.clock().advance(Duration.ofHours(5));
      h.scanServiceLevels();
      assertFalse(kinds(agent, id).stream().anyMatch(k -> k.startsWith("next-response")), "no next-response clock, so no breach: " + kinds(agent, id));
      Agent lead = h.newAgent("lena", "lead");
      assertEquals(1, lead.get("/api/analytics/response-times").expect(200).json().getLong("customerConfirmed"), "countable in analytics");

      var question = t.publish("31", "@AcmeCloud thanks, but how do I change my address?", replyPost, null);
      // Five hours on, the replier's claim lapsed long ago: the case is back unheld, not "claimed" in Unassigned.
      eventually("reopened", WAIT, () -> "new".equals(view(agent, id).getString("state")));
      JsonObject reopened = view(agent, id);
      assertNull(reopened.getString("assignee"), "nobody holds a case whose claim lapsed");
      assertFalse(reopened.getBoolean("customerConfirmed"));
      assertEquals(question.createdAt().plus(Duration.ofMinutes(60)).toString().substring(0, 19), reopened.getString("dueAt").substring(0, 19),
        "a next-response clock from the follow-up");
      assertEquals(List.of("next-response:resumed", "next-response:applied"),
        kinds(agent, id).stream().filter(k -> k.startsWith("next-response")).toList());
    }
  }

  @Test
  @DisplayName("the meaning revises the words behind intake: sarcastic thanks reopens, and a complaint without listed words ranks high with its reason")
  void meaningRevises(Vertx vertx) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("32", "eli", "Eli", 80);
      Agent agent = h.newAgent("bo", "agent");
      var complaint = t.publish("32", "@AcmeCloud my groceries turned up with half the stuff absent", null, null);
      String id = "c" + complaint.id();
      eventually("ranked by meaning", WAIT, () -> agent.get("/api/cases/" + id).status() == 200
        && "high".equals(view(agent, id).getString("priority")));
      JsonObject ranked = view(agent, id);
      assertTrue(ranked.getString("priorityReason").startsWith("meaning: reads like a complaint"), ranked.getString("priorityReason"));
      assertEquals(complaint.createdAt().plus(Duration.ofMinutes(30)).toString().substring(0, 19), ranked.getString("dueAt").substring(0, 19),
        "the high target, from the customer's post");

      JsonObject reply = agent.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@eli sorry, see our help page")).expect(201).json();
      var sarcasm = t.publish("32", "@AcmeCloud wow ok thanks for the copy paste answer", Long.parseLong(reply.getString("xTweetId")), null);
      eventually("reopened by meaning", WAIT, () -> "claimed".equals(view(agent, id).getString("state")));
      JsonObject reopened = view(agent, id);
      assertEquals("meaning", reopened.getJsonObject("turn").getString("by"));
      assertFalse(reopened.getBoolean("customerConfirmed"));
      assertEquals(sarcasm.createdAt().plus(Duration.ofMinutes(30)).toString().substring(0, 19), reopened.getString("dueAt").substring(0, 19));
      assertEquals(List.of("next-response:resumed", "next-response:applied"),
        kinds(agent, id).stream().filter(k -> k.startsWith("next-response")).toList());
    }
  }

  @Test
  @DisplayName("a thanks the words took for work settles back once read: replied, customer confirmed, its clock stopped and never breached")
  void settlesBack(Vertx vertx) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("33", "fay", "Fay", 50);
      Agent agent = h.newAgent("cy", "agent");
      var q = t.publish("33", "@AcmeCloud how do I add a promo code?", null, null);
      String id = "c" + q.id();
      eventually("case", WAIT, () -> agent.get("/api/cases/" + id).status() == 200);
      JsonObject reply = agent.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@fay Basket > Add code")).expect(201).json();
      // "no" is a word of doubt, so the words reopen it; the meaning reads a closing thanks.
      assertFalse(TurnClassifier.byRules("no worries, resolved").thanks());
      t.publish("33", "@AcmeCloud no worries, resolved", Long.parseLong(reply.getString("xTweetId")), null);
      eventually("settled back", WAIT, () -> {
        JsonObject c = view(agent, id);
        return c.getJsonArray("messages").size() == 3 && c.getBoolean("customerConfirmed") && "replied".equals(c.getString("state"));
      });
      assertEquals("meaning", view(agent, id).getJsonObject("turn").getString("by"));
      assertNull(view(agent, id).getString("dueAt"));
      assertEquals(List.of("next-response:resumed", "next-response:applied", "next-response:stopped"),
        kinds(agent, id).stream().filter(k -> k.startsWith("next-response")).toList());
      h.clock().advance(Duration.ofHours(5));
      h.scanServiceLevels();
      assertFalse(kinds(agent, id).contains("next-response:breached"));
    }
  }
}
