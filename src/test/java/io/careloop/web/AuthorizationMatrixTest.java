package io.careloop.web;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Authorization matrix: every operation of the contract, for every role and for anonymous callers")
class AuthorizationMatrixTest {
  /**
   * Who may call what (PRODUCT.md section 1). Admin may call everything. A new operation without a line here fails
   * the test, so nobody adds a route without deciding who may use it.
   */
  static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
    Map.entry("login", Set.of("public")),
    Map.entry("analyticsResponseTimes", Set.of("lead")),
    Map.entry("analyticsExport", Set.of("lead")),
    Map.entry("publicResponseTimes", Set.of("public")),
    Map.entry("listClusters", Set.of("community", "lead")),
    Map.entry("getCluster", Set.of("community", "lead")),
    Map.entry("promoteCluster", Set.of("community")),
    Map.entry("mergeCluster", Set.of("community")),
    Map.entry("splitCluster", Set.of("community")),
    Map.entry("dismissCluster", Set.of("community")),
    Map.entry("listPosts", Set.of("community", "lead")),
    Map.entry("getPost", Set.of("community", "lead")),
    Map.entry("updatePost", Set.of("community")),
    Map.entry("publishPost", Set.of("community")),
    Map.entry("unpublishPost", Set.of("community")),
    Map.entry("previewTweet", Set.of("community")),
    Map.entry("sendTweet", Set.of("community")),
    Map.entry("cycleFunnel", Set.of("community", "lead")),
    Map.entry("logout", Set.of("agent", "community", "lead")),
    Map.entry("me", Set.of("agent", "community", "lead")),
    Map.entry("listUsers", Set.of("admin")),
    Map.entry("createUser", Set.of("admin")),
    Map.entry("updateUser", Set.of("admin")),
    Map.entry("resetPassword", Set.of("admin")),
    Map.entry("changeOwnPassword", Set.of("agent", "community", "lead")),
    Map.entry("listCases", Set.of("agent", "community", "lead")),
    Map.entry("countCases", Set.of("agent", "community", "lead")),
    Map.entry("searchCases", Set.of("agent", "community", "lead")),
    Map.entry("listSavedViews", Set.of("agent", "community", "lead")),
    Map.entry("saveView", Set.of("agent", "community", "lead")),
    Map.entry("deleteView", Set.of("agent", "community", "lead")),
    Map.entry("getCase", Set.of("agent", "community", "lead")),
    Map.entry("getAvatar", Set.of("agent", "community", "lead")),
    Map.entry("claimCase", Set.of("agent", "community")),
    Map.entry("replyToCase", Set.of("agent", "community")),
    Map.entry("retryReply", Set.of("agent", "community")),
    Map.entry("dismissCase", Set.of("agent", "community")),
    Map.entry("resolveCase", Set.of("agent", "community")),
    Map.entry("undoClose", Set.of("agent", "community")),
    Map.entry("bulkCases", Set.of("agent", "community", "lead")),
    Map.entry("bulkUndo", Set.of("agent", "community")),
    Map.entry("myAvailability", Set.of("agent", "community")),
    Map.entry("setMyAvailability", Set.of("agent", "community")),
    Map.entry("autoAssignSetting", Set.of("agent", "community", "lead")),
    Map.entry("setAutoAssignSetting", Set.of("lead")),
    Map.entry("reopenCase", Set.of("agent", "community")),
    Map.entry("myPreferences", Set.of("agent", "community", "lead")),
    Map.entry("setMyPreferences", Set.of("agent", "community", "lead")),
    Map.entry("assignCase", Set.of("lead")),
    Map.entry("addNote", Set.of("agent", "community")),
    Map.entry("setTags", Set.of("agent", "community")),
    Map.entry("viewingCase", Set.of("agent", "community", "lead")),
    Map.entry("typingInCase", Set.of("agent", "community")),
    Map.entry("listAgents", Set.of("lead")),
    Map.entry("caseSlaEvents", Set.of("agent", "community", "lead")),
    Map.entry("renderCanned", Set.of("agent", "community")),
    Map.entry("listCanned", Set.of("agent", "community", "lead")),
    Map.entry("saveCanned", Set.of("community")),
    Map.entry("getSla", Set.of("lead")),
    Map.entry("putSla", Set.of("lead")),
    Map.entry("listAudit", Set.of("lead")),
    Map.entry("listArticles", Set.of("agent", "community", "lead")),
    Map.entry("createArticle", Set.of("community")),
    Map.entry("getArticle", Set.of("agent", "community", "lead")),
    Map.entry("updateArticle", Set.of("community")),
    Map.entry("articleRevisions", Set.of("agent", "community", "lead")),
    Map.entry("articleUsage", Set.of("agent", "community", "lead")),
    Map.entry("createLink", Set.of("agent", "community")),
    Map.entry("suggestArticles", Set.of("agent", "community", "lead")),
    Map.entry("measureReply", Set.of("agent", "community")),
    Map.entry("listSources", Set.of("agent", "community", "lead")),
    Map.entry("addSource", Set.of("admin")),
    Map.entry("updateSource", Set.of("admin")),
    Map.entry("listBrands", Set.of("agent", "community", "lead")),
    Map.entry("addBrand", Set.of("admin")),
    Map.entry("updateBrand", Set.of("admin")),
    Map.entry("listBackups", Set.of("admin")),
    Map.entry("clusterStatus", Set.of("admin")),
    Map.entry("createBackup", Set.of("admin")),
    Map.entry("liveEvents", Set.of("agent", "community", "lead")));

  static final List<String> ROLES = List.of("agent", "community", "lead", "admin");
  static Harness h;
  static Map<String, Agent> callers = new LinkedHashMap<>();
  static OpenAPIContract contract;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    for (String role : ROLES) callers.put(role, role.equals("admin") ? h.admin() : h.newAgent("matrix-" + role, role));
    contract = OpenAPIContract.from(vertx, WebServer.CONTRACT).await();
  }

  @AfterAll
  static void stop() { h.close(); }

  @Test
  @DisplayName("the contract declares exactly the access this table expects, operation by operation")
  void contractMatchesTable() {
    Set<String> inContract = new TreeSet<>();
    for (Operation op : contract.operations()) {
      inContract.add(op.getOperationId());
      Set<String> expected = EXPECTED.get(op.getOperationId());
      assertNotNull(expected, op.getOperationId() + " has no line in the authorization table");
      Set<String> declared = Boolean.TRUE.equals(op.getExtensions().get("x-careloop-public")) ? Set.of("public")
        : new TreeSet<>(((JsonArray) op.getExtensions().get("x-careloop-roles")).stream().map(String::valueOf).toList());
      assertEquals(new TreeSet<>(expected), new TreeSet<>(declared), op.getOperationId());
    }
    assertEquals(new TreeSet<>(EXPECTED.keySet()), inContract, "table lines without an operation");
  }

  @Test
  @DisplayName("the server enforces it: 401 for anonymous, 403 for a role without the right, and never either for a role with it")
  void serverEnforces() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Operation op : contract.operations()) {
      if (op.getOperationId().equals("liveEvents") || op.getOperationId().equals("logout")) continue; // streams / ends the session: checked below
      Set<String> allowed = EXPECTED.get(op.getOperationId());
      String path = op.getOpenAPIPath().replace("{id}", "c1").replace("{replyId}", "c1-abc").replace("{cannedId}", "x")
        .replace("{articleId}", "x").replace("{username}", "nobody-here").replace("{sourceId}", "no-such-source").replace("{handle}", "NoSuchBrand");
      for (String caller : concat("anonymous", ROLES)) {
        HttpResponse<Buffer> r = send(caller, op.getHttpMethod(), path);
        boolean mayCall = allowed.contains("public") || caller.equals("admin") || allowed.contains(caller);
        int s = r.statusCode();
        boolean refused = s == 401 || s == 403;
        if (mayCall == refused || (!mayCall && caller.equals("anonymous") && s != 401)) {
          wrong.add(op.getOperationId() + " as " + caller + " -> " + s + " " + r.bodyAsString());
        }
        assertTrue(s < 500, op.getOperationId() + " as " + caller + " -> " + s);
        checked++;
      }
    }
    assertTrue(checked >= 33 * 5, "checked " + checked);
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    // The event stream: refused to anonymous callers, open to staff.
    assertEquals(401, send("anonymous", HttpMethod.GET, "/api/events").statusCode());
  }

  static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  static HttpResponse<Buffer> send(String caller, HttpMethod method, String path) {
    Agent agent = callers.get(caller);
    boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT;
    if (agent != null) return agent.send(method, path, hasBody ? new JsonObject() : null, Map.of()).response();
    HttpRequest<Buffer> req = h.http().request(method, h.port(), "127.0.0.1", path);
    return (hasBody ? req.sendJsonObject(new JsonObject()) : req.send()).await();
  }
}
