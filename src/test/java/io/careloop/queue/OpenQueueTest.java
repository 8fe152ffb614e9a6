package io.careloop.queue;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.web.CaseJson;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The queue pages agents read come from memory; here they are held to the database. Agents claim, reply, resolve,
 * dismiss, tag and note; a lead assigns; deadlines pass; customers write; another node changes cases behind this one's
 * back and announces it. After each round, every view and state filter, page by page, must list exactly the cases the
 * database query lists, in the same order and with the same content.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Open queue in memory: the same pages as the database, whatever happens to the cases")
class OpenQueueTest {

  @Test
  void pagesFromMemoryEqualTheDatabase(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      for (int i = 0; i < 6; i++) t.account(String.valueOf(700 + i), "cust" + i, "Customer " + i, 10);
      List<Long> posts = new ArrayList<>();
      for (int i = 0; i < 30; i++) posts.add(t.publish(String.valueOf(700 + i % 6), "@AcmeCloud question " + i, null, null).id());
      eventually("30 cases", Duration.ofSeconds(30), () -> h.cases().size() == 30);
      eventually("the open queue read", Duration.ofSeconds(10), () -> h.app().openQueue().loaded());

      Agent ann = h.newAgent("ann", "agent");
      Agent bob = h.newAgent("bob", "agent");
      Agent lead = h.newAgent("lena", "lead");
      List<Agent> agents = List.of(ann, bob);
      Random random = new Random(42);
      int customerPosts = 0;
      for (int round = 0; round < 6; round++) {
        for (int op = 0; op < 12; op++) {
          List<JsonObject> all = h.cases();
          String id = all.get(random.nextInt(all.size())).getString("_id");
          Agent a = agents.get(random.nextInt(agents.size()));
          switch (random.nextInt(9)) {
            case 0 -> a.post("/api/cases/" + id + "/claim", null);
            case 1 -> a.post("/api/cases/" + id + "/resolve", null);
            case 2 -> a.post("/api/cases/" + id + "/dismiss", new JsonObject().put("reason", "noise"));
            case 3 -> lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", random.nextBoolean() ? a.username : null));
            case 4 -> a.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "Round " + round + " answer " + op + " to " + id));
            case 5 -> a.put("/api/cases/" + id + "/tags", new JsonObject().put("tags", new JsonArray().add("t" + random.nextInt(3))));
            case 6 -> a.post("/api/cases/" + id + "/notes", new JsonObject().put("text", "note " + op));
            case 7 -> {
              // A customer writes again, in an old conversation or a new one.
              Long parent = random.nextBoolean() ? posts.get(random.nextInt(posts.size())) : null;
              posts.add(t.publish(String.valueOf(700 + random.nextInt(6)), "@AcmeCloud more " + customerPosts++, parent, null).id());
            }
            default -> {
              // Another node changed the case and said so on the (clustered) event bus.
              JsonObject set = random.nextBoolean()
                ? new JsonObject().put("tags", new JsonArray().add("from-another-node"))
                : new JsonObject().put("state", "resolved").put("order", QueueOrder.key(CaseState.RESOLVED, null, Instant.now(), id));
              h.mongo().updateCollection(MongoCaseRepository.CASES, new JsonObject().put("_id", id), new JsonObject().put("$set", set)).await();
              vertx.eventBus().publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", id));
            }
          }
        }
        // Deadlines pass: SLA warnings, breaches and escalations rewrite cases from the monitor.
        if (round % 2 == 1) h.clock().advance(Duration.ofMinutes(20));
        // The copy follows the database a read behind: give it a moment, then the last difference is the failure.
        String[] difference = {null};
        int r = round;
        eventually(() -> "round " + r + ": " + difference[0], Duration.ofSeconds(15), () -> (difference[0] = compare(h, agents)) == null);
      }
      long open = h.count(MongoCaseRepository.CASES, MongoCaseRepository.stateIn(CaseState.OPEN));
      assertEquals(open, h.app().openQueue().queue().size(), "every open case, and only those, is in memory");
      assertTrue(open > 0 && open < h.cases().size(), "the run left some cases open and closed others: " + open);
    }
  }

  /** The first difference between the API (memory) and the database over every filter, or null when there is none. */
  private static String compare(Harness h, List<Agent> agents) {
    List<String> states = new ArrayList<>(List.of("", "open", "waiting", "new", "claimed", "replied"));
    for (Agent a : agents) {
      for (String view : List.of("", "mine", "unassigned", "open", "breaching")) {
        for (String state : states) {
          if (view.isEmpty() && state.isEmpty()) continue;
          List<JsonObject> api = allPages(a, (view.isEmpty() ? "" : "&view=" + view) + (state.isEmpty() ? "" : "&state=" + state));
          List<JsonObject> db = fromDatabase(h, a.username, view, state);
          if (!api.equals(db)) {
            return "view=" + view + " state=" + state + " for " + a.username + ":\n api " + ids(api) + "\n db  " + ids(db)
              + (ids(api).equals(ids(db)) ? "\n same cases, different content: " + firstDifferent(api, db) : "");
          }
        }
      }
    }
    return null;
  }

  /** Pages of 7, following the cursor, so that paging is checked as well. */
  private static List<JsonObject> allPages(Agent a, String query) {
    List<JsonObject> items = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = a.get("/api/cases?limit=7" + query + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).json();
      page.getJsonArray("items").forEach(i -> items.add((JsonObject) i));
      cursor = page.getString("next");
    } while (cursor != null);
    return items;
  }

  private static List<JsonObject> fromDatabase(Harness h, String agent, String view, String state) {
    List<CaseState> states = switch (state) {
      case "" -> List.of();
      case "open" -> CaseState.OPEN;
      case "waiting" -> CaseState.WAITING_ON_US;
      default -> List.of(CaseState.fromWire(state));
    };
    var filter = new QueueService.Filter(view.isEmpty() ? null : CaseView.fromWire(view), states, null, null);
    List<JsonObject> docs = h.mongo().findWithOptions(MongoCaseRepository.CASES, filter.query(agent, h.clock().instant()),
      new FindOptions().setSort(new JsonObject().put("order", 1))).await();
    return docs.stream().map(d -> new JsonObject(Buffer.buffer(CaseJson.encoded(CaseDocuments.fromDocument(d))))).toList();
  }

  private static List<String> ids(List<JsonObject> cases) {
    return cases.stream().map(c -> c.getString("id")).toList();
  }

  private static String firstDifferent(List<JsonObject> api, List<JsonObject> db) {
    for (int i = 0; i < api.size(); i++) if (!api.get(i).equals(db.get(i))) return "\n  " + api.get(i) + "\n  " + db.get(i);
    return "";
  }
}
