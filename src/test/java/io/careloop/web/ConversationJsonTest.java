package io.careloop.web;

import io.careloop.queue.Case;
import io.careloop.queue.CaseState;
import io.careloop.queue.Priority;
import io.careloop.queue.SlaMetric;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("The case view reads as the conversation on X")
class ConversationJsonTest {
  static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  static Case conversation(String customerHandle, String replyTweetId) {
    return conversation(customerHandle, List.of(new Case.Message("100", Case.From.CUSTOMER, customerHandle, "help", AT, null, null),
      new Case.Message(replyTweetId, Case.From.BRAND, "AcmeCloud", "on it", AT.plusSeconds(60), "r1", "agent1")));
  }

  static Case conversation(String customerHandle, List<Case.Message> messages) {
    var clock = new Case.ServiceClock(SlaMetric.FIRST_RESPONSE, "p", AT, null, null, false, false, false, false);
    return new Case("c100", "AcmeCloud", "mentions-acme", "100", "100", new Case.Customer(customerHandle, "Ada Lovelace", "u1", 10, false),
      "help", AT, Priority.normal, CaseState.REPLIED, clock, null, null, null, null, null, null, null, false, "100", null,
      messages, List.of(), List.of(), null, null, null, AT, AT, "o", null, null);
  }

  @Test
  @DisplayName("Each message has its time, its post on X and its author; a brand reply says who sent it")
  void messagesCarryTheConversation() {
    var messages = CaseJson.view(conversation("ada_l", "200")).getJsonArray("messages");
    JsonObject customer = messages.getJsonObject(0);
    assertEquals("2026-12-02T10:00:00Z", customer.getString("at"));
    assertEquals("https://x.com/ada_l/status/100", customer.getString("url"));
    assertEquals(new JsonObject().put("handle", "ada_l").put("name", "Ada Lovelace").putNull("avatar"), customer.getJsonObject("author"));
    assertNull(customer.getValue("sentBy"));
    JsonObject brand = messages.getJsonObject(1);
    assertEquals("https://x.com/AcmeCloud/status/200", brand.getString("url"));
    assertEquals("AcmeCloud", brand.getJsonObject("author").getString("handle"));
    assertEquals(new JsonObject().put("username", "agent1"), brand.getJsonObject("sentBy"));
  }

  @Test
  @DisplayName("No link is made from a handle or id that is not X's shape (an old case, hostile data)")
  void noLinkFromOddData() {
    var messages = CaseJson.view(conversation("javascript:alert(1)//", "not-an-id")).getJsonArray("messages");
    assertNull(messages.getJsonObject(0).getValue("url"));
    assertNull(messages.getJsonObject(1).getValue("url"));
    assertNull(CaseJson.postUrl(null, "1"));
  }

  @Test
  @DisplayName("A customer's message with a stored profile image points at /api/avatars/{authorId}; without one, or with an odd id, null")
  void avatarPath() {
    var withPicture = new Case.Message("100", Case.From.CUSTOMER, "ada_l", "help", AT, null, null, "42",
      "https://pbs.twimg.com/profile_images/1/a_normal.jpg", null);
    var noPicture = new Case.Message("101", Case.From.CUSTOMER, "ada_l", "again", AT, null, null, "42", null, null);
    var oddId = new Case.Message("102", Case.From.CUSTOMER, "ada_l", "odd", AT, null, null, "../admin",
      "https://pbs.twimg.com/profile_images/1/a_normal.jpg", null);
    var messages = CaseJson.view(conversation("ada_l", List.of(withPicture, noPicture, oddId))).getJsonArray("messages");
    assertEquals("/api/avatars/42", messages.getJsonObject(0).getJsonObject("author").getString("avatar"));
    assertNull(messages.getJsonObject(1).getJsonObject("author").getValue("avatar"));
    assertNull(messages.getJsonObject(2).getJsonObject("author").getValue("avatar"));
    // The stored URL itself never reaches the browser: only our own path does.
    assertFalse(messages.encode().contains("twimg"));
  }

  @Test
  @DisplayName("A reply to a post outside the case carries inReplyTo {url, text, author, createdAt}; one to a message of the case does not")
  void inReplyTo() {
    var outside = new Case.Parent("90", "<img src=x onerror=alert(1)> router down", "hal", "Hal", AT.minusSeconds(600));
    var first = new Case.Message("100", Case.From.CUSTOMER, "ada_l", "same here", AT, null, null, "42", null, outside);
    var reply = new Case.Message("200", Case.From.BRAND, "AcmeCloud", "on it", AT.plusSeconds(60), "r1", "agent1");
    var followUp = new Case.Message("300", Case.From.CUSTOMER, "ada_l", "thanks", AT.plusSeconds(120), null, null, "42", null,
      new Case.Parent("200", "on it", "AcmeCloud", "Acme Cloud", AT.plusSeconds(60)));
    var messages = CaseJson.view(conversation("ada_l", List.of(first, reply, followUp))).getJsonArray("messages");
    assertEquals(new JsonObject().put("url", "https://x.com/hal/status/90").put("text", "<img src=x onerror=alert(1)> router down")
      .put("author", new JsonObject().put("handle", "hal").put("name", "Hal")).put("createdAt", "2026-12-02T09:50:00Z"),
      messages.getJsonObject(0).getJsonObject("inReplyTo"));
    assertFalse(messages.getJsonObject(1).containsKey("inReplyTo"));
    assertFalse(messages.getJsonObject(2).containsKey("inReplyTo"), "our reply is already in the case: not shown twice");
  }

  @Test
  @DisplayName("Avatar and parent survive the case document, and a message stored before them reads as none")
  void storedAndOld() {
    var parent = new Case.Parent("90", "router down", "hal", "Hal", AT.minusSeconds(600));
    var m = new Case.Message("100", Case.From.CUSTOMER, "ada_l", "same", AT, null, null, "42", "https://pbs.twimg.com/p.jpg", parent);
    var doc = io.careloop.queue.CaseDocuments.message(m);
    var back = io.careloop.queue.CaseDocuments.fromDocument(new JsonObject().put("_id", "c100").put("state", "new")
      .put("messages", new io.vertx.core.json.JsonArray().add(doc)
        .add(new JsonObject().put("tweetId", "101").put("from", "customer").put("handle", "ada_l").put("text", "old")))).messages();
    assertEquals(m, back.get(0));
    assertNull(back.get(1).authorId());
    assertNull(back.get(1).avatarUrl());
    assertNull(back.get(1).inReplyTo());
  }
}
