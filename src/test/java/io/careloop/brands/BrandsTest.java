package io.careloop.brands;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
@DisplayName("Admins manage brands: each is listened to, its cases carry it, replies post as it when it is connected")
class BrandsTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String MAIL_ID = "2000000000000000002";
  static final String DOCS_ID = "2000000000000000003";

  @Test
  @DisplayName("add a brand in the console API; its mentions become its cases; replies post as its account; one without a token refuses to post")
  void brandsEndToEnd(Vertx vertx, @TempDir Path data) {
    Map<String, String> env = Map.of("CARELOOP_BRAND_KEYWORDS", "",
      "CARELOOP_X_BRAND_ACMEMAIL_ACCESS_TOKEN", "mail-token", "CARELOOP_X_BRAND_ACMEMAIL_ACCESS_TOKEN_SECRET", "mail-secret");
    try (Harness h = Harness.start(vertx, data, env)) {
      StandInTimeline t = h.standIn().timeline();
      t.account("11", "ann", "Ann", 100);
      t.account(MAIL_ID, "AcmeMail", "Acme Mail", 9_000);
      t.account(DOCS_ID, "AcmeDocs", "Acme Docs", 500);
      h.standIn().connect("mail-token", MAIL_ID);
      Agent admin = h.admin();
      Agent vic = h.newAgent("vic", "agent");

      JsonArray first = vic.get("/api/brands").expect(200).json().getJsonArray("items");
      assertEquals(1, first.size(), "the configured brand, stored at the first start");
      assertEquals("AcmeCloud", first.getJsonObject(0).getString("handle"));
      assertTrue(first.getJsonObject(0).getBoolean("canPost"));

      vic.post("/api/brands", new JsonObject().put("handle", "AcmeMail").put("userId", MAIL_ID)).expect(403);
      admin.post("/api/brands", new JsonObject().put("handle", "Acme Mail!").put("userId", MAIL_ID)).expect(400);
      JsonObject mail = admin.post("/api/brands", new JsonObject().put("handle", "@AcmeMail").put("userId", MAIL_ID)
        .put("name", "Acme Mail").put("keywords", new JsonArray().add("acme mail"))).expect(201).json();
      assertEquals("AcmeMail", mail.getString("handle"));
      assertTrue(mail.getBoolean("canPost"));
      JsonObject again = admin.post("/api/brands", new JsonObject().put("handle", "acmemail").put("userId", "42")).expect(409).json();
      assertEquals("brand-exists", again.getString("error"));
      JsonObject docs = admin.post("/api/brands", new JsonObject().put("handle", "AcmeDocs").put("userId", DOCS_ID)).expect(201).json();
      assertFalse(docs.getBoolean("canPost"), "no posting token for it");
      JsonObject taken = admin.post("/api/sources/keywords", new JsonObject().put("keyword", "acme mail").put("brand", "AcmeDocs")).expect(409).json();
      assertEquals("keyword-taken", taken.getString("error"));
      assertTrue(taken.getString("message").contains("@AcmeMail"), taken.getString("message"));
      admin.post("/api/sources/keywords", new JsonObject().put("keyword", "acme docs").put("brand", "NoSuchBrand")).expect(404);

      var toMail = t.publish("11", "@AcmeMail my inbox is empty since this morning?", null, null);
      var byKeyword = t.publish("11", "is acme mail down for anyone else", null, null);
      var toDocs = t.publish("11", "@AcmeDocs where is the API reference?", null, null);
      var ownPost = t.publish(MAIL_ID, "@AcmeCloud thanks for the help, from your sister brand", null, null);
      var toCloud = t.publish("11", "@AcmeCloud still here", null, null);
      eventually("the brands' cases", WAIT, () -> h.cases().size() == 4);
      assertEquals("AcmeMail", vic.get("/api/cases/c" + toMail.id()).expect(200).json().getString("brand"));
      assertEquals("AcmeMail", vic.get("/api/cases/c" + byKeyword.id()).expect(200).json().getString("brand"));
      assertEquals("AcmeDocs", vic.get("/api/cases/c" + toDocs.id()).expect(200).json().getString("brand"));
      assertEquals(404, vic.get("/api/cases/c" + ownPost.id()).status(), "a brand's own post is not a mention to answer");
      assertEquals(List.of("c" + toMail.id(), "c" + byKeyword.id()).stream().sorted().toList(),
        vic.get("/api/cases?brand=AcmeMail").json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).sorted().toList());

      JsonObject reply = vic.post("/api/cases/c" + toMail.id() + "/reply", new JsonObject().put("text", "@ann we are on it")).expect(201).json();
      var posted = t.post(Long.parseLong(reply.getString("xTweetId"))).orElseThrow();
      assertEquals(MAIL_ID, posted.authorId(), "posted as @AcmeMail");
      JsonObject cloudReply = vic.post("/api/cases/c" + toCloud.id() + "/reply", new JsonObject().put("text", "@ann yes we are")).expect(201).json();
      assertEquals(Harness.BRAND_ID, t.post(Long.parseLong(cloudReply.getString("xTweetId"))).orElseThrow().authorId());

      long postsBefore = t.postCount();
      JsonObject refused = vic.post("/api/cases/c" + toDocs.id() + "/reply", new JsonObject().put("text", "@ann here it is")).expect(409).json();
      assertEquals("brand-not-connected", refused.getString("error"));
      assertTrue(refused.getString("message").contains("CARELOOP_X_BRAND_ACMEDOCS_ACCESS_TOKEN"), refused.getString("message"));
      assertFalse(refused.encode().contains("mail-token"), "no secret in an answer");
      assertEquals(postsBefore, t.postCount(), "nothing posted");
      JsonObject untouched = vic.get("/api/cases/c" + toDocs.id()).json();
      assertEquals("new", untouched.getString("state"), "not claimed either");
      assertNull(untouched.getString("assignee"));
      assertEquals(0, h.count("replies", new JsonObject().put("caseId", "c" + toDocs.id())), "no reply intent stored");

      admin.patch("/api/brands/AcmeDocs", new JsonObject().put("name", "Acme Documentation")).expect(200);
      assertEquals(2, admin.get("/api/audit?action=brand.added").json().getJsonArray("items").size());
      assertEquals(1, admin.get("/api/audit?action=brand.renamed").json().getJsonArray("items").size());
      admin.patch("/api/brands/NoSuchBrand", new JsonObject().put("name", "x")).expect(404);

      // Stored, not configured: after a restart every brand is still listened to.
      h.restart();
      var afterRestart = t.publish("11", "@AcmeDocs and the SDK docs?", null, null);
      eventually("a brand added in the console is listened to after a restart", WAIT,
        () -> h.cases().stream().anyMatch(c -> c.getString("_id").equals("c" + afterRestart.id())));
      Agent admin2 = h.admin();
      JsonArray brands = admin2.get("/api/brands").json().getJsonArray("items");
      assertEquals(List.of("AcmeCloud", "AcmeMail", "AcmeDocs"), brands.stream().map(o -> ((JsonObject) o).getString("handle")).toList());
      assertEquals("Acme Documentation", brands.getJsonObject(2).getString("name"));
    }
  }
}
