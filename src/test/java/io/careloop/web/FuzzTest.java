package io.careloop.web;

import io.careloop.reply.MongoReplyRepository;
import io.careloop.accounts.UserService;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Fuzzing every route with bad requests")
class FuzzTest {
  /** Values that are wrong for any field: wrong types, operators, traversal, control and direction characters. */
  static final List<Object> HOSTILE = List.of(
    "", " ", "\u0000", "\u202Eevil", "\uD83D", "\uFFFF", "<script>alert(1)</script>", "{{7*7}}", "../../etc/passwd",
    "%2e%2e%2f", "a".repeat(70_000), 12, -1, 1.5e308, true, new JsonArray(), new JsonObject(),
    new JsonObject().put("$ne", null), new JsonObject().put("$gt", ""), new JsonObject().put("$where", "sleep(1000)"),
    new JsonArray().add(new JsonObject().put("$regex", ".*")), "c1'; drop", "null");
  static final List<String> PATH_VALUES = List.of("..%2F..%2Fetc%2Fpasswd", "%00", "c1%0d%0aX-Injected:1", "%E2%80%AE", "c" + "9".repeat(40),
    "$ne", "%7B%22%24ne%22%3A1%7D", "C1", "-1", "a%20b");

  @Test
  @DisplayName("at least 1,000 generated bad requests: no 5xx, every answer a 4xx JSON error, the database unchanged")
  void fuzz(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      h.standIn().timeline().account("99", "zed", "Zed", 1);
      var post = h.standIn().timeline().publish("99", "@AcmeCloud fuzz target?", null, null);
      String caseId = "c" + post.id();
      Agent admin = h.admin();
      eventually("case", Duration.ofSeconds(15), () -> admin.get("/api/cases/" + caseId).status() == 200);
      Map<String, Long> before = counts(h);
      OpenAPIContract contract = OpenAPIContract.from(vertx, WebServer.CONTRACT).await();
      Random random = new Random(7);
      List<String> failures = new ArrayList<>();
      int sent = 0;
      for (Operation op : contract.operations()) {
        if (op.getOperationId().equals("liveEvents") || op.getOperationId().equals("logout")) continue;
        for (int i = 0; i < 32; i++) {
          // A real case id only where a (bad) body keeps the request from being a valid one: claim or resolve
          // with a real id and no body would be legitimate calls, not fuzz.
          boolean realId = i % 3 == 0 && op.getRequestBody() != null;
          String path = op.getOpenAPIPath().replace("{id}", realId ? caseId : pick(PATH_VALUES, random))
            .replace("{replyId}", pick(PATH_VALUES, random)).replace("{cannedId}", pick(PATH_VALUES, random))
            .replace("{articleId}", pick(PATH_VALUES, random)).replace("{username}", i % 2 == 0 ? "admin" : pick(PATH_VALUES, random))
            .replace("{sourceId}", pick(PATH_VALUES, random)).replace("{clusterId}", pick(PATH_VALUES, random))
            .replace("{postId}", pick(PATH_VALUES, random)).replace("{handle}", pick(PATH_VALUES, random));
          if (i % 4 == 1) path += "?limit=" + pick(List.of("-5", "abc", "1e9", "%00", "9".repeat(30)), random) + "&state=%24ne&view=x&q=%00";
          HttpRequest<Buffer> req = admin.client().request(op.getHttpMethod(), h.port(), "127.0.0.1", path)
            .putHeader("X-CSRF-Token", admin.csrf());
          if (i % 5 == 2) req.putHeader("Idempotency-Key", "a".repeat(300));
          if (i % 7 == 3) req.putHeader("X-Forwarded-Host", "evil.example%0d%0aSet-Cookie:%20x=1");
          Buffer body = body(i, random);
          String contentType = i % 6 == 5 ? "text/plain" : "application/json";
          HttpResponse<Buffer> r = op.getHttpMethod() == HttpMethod.GET ? req.send().await()
            : req.putHeader("content-type", contentType).sendBuffer(body).await();
          sent++;
          String what = op.getOperationId() + " " + path.substring(0, Math.min(path.length(), 80)) + " -> " + r.statusCode();
          if (r.statusCode() >= 500) failures.add(what + " " + r.bodyAsString());
          else if (r.statusCode() >= 400) {
            try {
              JsonObject e = r.bodyAsJsonObject();
              if (e.getString("error") == null || e.getString("message") == null) failures.add(what + " without error/message");
            } catch (RuntimeException notJson) {
              failures.add(what + " not JSON: " + r.bodyAsString());
            }
          }
          if (r.bodyAsString() != null && r.bodyAsString().contains("Exception")) failures.add(what + " leaks internals");
        }
      }
      System.out.println("fuzz: " + sent + " bad requests, " + failures.size() + " failures");
      assertTrue(sent >= 1000, "sent " + sent);
      assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
      assertEquals(before, counts(h), "nothing stored by bad requests");
      assertEquals("new", admin.get("/api/cases/" + caseId).json().getString("state"));
    }
  }

  static Buffer body(int i, Random random) {
    switch (i % 8) {
      case 0: return Buffer.buffer("{\"text\":");
      case 1: return Buffer.buffer("[" + "[".repeat(5000) + "]".repeat(5000) + "]");
      case 2: return Buffer.buffer(new JsonObject().put("text", pick(HOSTILE, random)).put("$set", new JsonObject().put("state", "resolved")).encode());
      case 3: return Buffer.buffer("\"just a string\"");
      case 4: {
        JsonObject o = new JsonObject();
        for (String k : List.of("text", "reason", "username", "password", "roles", "title", "question", "steps", "status", "policies",
          "hours", "tags", "assignee", "caseId", "body", "currentPassword", "newPassword", "disabled", "keyword", "paused")) {
          o.put(k, pick(HOSTILE, random));
        }
        return Buffer.buffer(o.encode());
      }
      case 5: return Buffer.buffer("x".repeat(80_000));
      case 6: return Buffer.buffer(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xA1});
      default: return Buffer.buffer("{}");
    }
  }

  static <T> T pick(List<T> list, Random random) { return list.get(random.nextInt(list.size())); }

  static Map<String, Long> counts(Harness h) {
    Map<String, Long> m = new java.util.TreeMap<>();
    for (String c : List.of(MongoCaseRepository.CASES, MongoReplyRepository.REPLIES, UserService.USERS, MongoSourceRepository.SOURCES, "kb_articles", "kb_links", "canned", "sla_events")) {
      m.put(c, h.count(c, new JsonObject()));
    }
    m.put("sla-changes", h.count("audit", new JsonObject().put("action", "sla.changed")));
    return m;
  }
}
