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
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("The case view reads as the conversation on X")
class ConversationJsonTest {
  static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  static Case conversation(String customerHandle, String replyTweetId) {
    var clock = new Case.ServiceClock(SlaMetric.FIRST_RESPONSE, "p", AT, null, null, false, false, false, false);
    return new Case("c100", "AcmeCloud", "mentions-acme", "100", "100", new Case.Customer(customerHandle, "Ada Lovelace", "u1", 10, false),
      "help", AT, Priority.normal, CaseState.REPLIED, clock, null, null, null, null, null, null, null, false, "100", null,
      List.of(new Case.Message("100", Case.From.CUSTOMER, customerHandle, "help", AT, null, null),
        new Case.Message(replyTweetId, Case.From.BRAND, "AcmeCloud", "on it", AT.plusSeconds(60), "r1", "agent1")),
      List.of(), List.of(), null, null, null, AT, AT, "o", null, null);
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
}
