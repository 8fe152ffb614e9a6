package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.careloop.support.Eventually.eventually;
import static io.careloop.support.Eventually.sleep;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The soak test: the built jar against the X stand-in releasing mentions at a steady rate under faults (429 with a
 * reset, 503, malformed JSON, slow answers, connection resets, posts whose answer is lost), killed with {@code kill -9}
 * at random moments and restarted, while scripted agents claim, reply and resolve over HTTP. At the end every
 * released mention is in exactly one case, no reply is on X twice, every acknowledged step is still there, and no
 * first-response deadline moved. One minute in CI; {@code -Dsoak.seconds=600} for a long run.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Soak: steady mentions, X faults, kill -9 and agents at once")
class SoakIT {
  static final int CUSTOMERS = 40;
  static final int AGENTS = 4;

  @Test
  void soak(Vertx vertx, @TempDir Path dir) throws Exception {
    long seconds = Long.getLong("soak.seconds", 60);
    long seed = Long.getLong("soak.seed", System.nanoTime());
    System.out.println("soak: " + seconds + " s, seed " + seed);
    Random random = new Random(seed);
    XStandIn standIn = new XStandIn(vertx, Clock.systemUTC(), Harness.BRAND_ID, "AcmeCloud", "Acme Cloud");
    String xBase = standIn.start(0).await();
    StandInTimeline t = standIn.timeline();
    for (int i = 0; i < CUSTOMERS; i++) t.account(String.valueOf(500 + i), "soak" + i, "Soak " + i, 100 + i);
    CareLoopProcess app = new CareLoopProcess(dir.resolve("data"), Map.of("CARELOOP_X_BASE_URL", xBase, "CARELOOP_X_BEARER_TOKEN", "b",
      "CARELOOP_X_CONSUMER_KEY", "ck", "CARELOOP_X_CONSUMER_SECRET", "cs", "CARELOOP_X_ACCESS_TOKEN", "at",
      "CARELOOP_X_ACCESS_TOKEN_SECRET", "ats", "CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_X_MONTHLY_READ_CAP", "1000000"));
    app.start();
    Agent admin = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    for (int i = 0; i < AGENTS; i++) {
      admin.post("/api/users", new JsonObject().put("username", "soaker" + i).put("password", "soaker" + i + "-long-password")
        .put("roles", new JsonArray().add("agent"))).expect(201);
    }

    Set<String> released = ConcurrentHashMap.newKeySet();
    Map<String, String> firstDue = new ConcurrentHashMap<>();
    Map<String, String> acknowledgedReplies = new ConcurrentHashMap<>();
    Set<String> acknowledgedResolves = ConcurrentHashMap.newKeySet();
    AtomicInteger kills = new AtomicInteger();
    AtomicInteger faults = new AtomicInteger();
    AtomicInteger agentErrors = new AtomicInteger();
    Map<String, Integer> replyAnswers = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();

    // Customers: ten mentions a second, one in ten a follow-up in an earlier conversation.
    threads.add(start("customers", () -> {
      List<Long> roots = new ArrayList<>();
      int n = 0;
      while (!stop.get()) {
        String author = String.valueOf(500 + random.nextInt(CUSTOMERS));
        Long inReplyTo = !roots.isEmpty() && random.nextInt(10) == 0 ? roots.get(random.nextInt(roots.size())) : null;
        var post = t.publish(author, "@AcmeCloud soak question " + (n++) + (inReplyTo == null ? "?" : ", still waiting"), inReplyTo, null);
        released.add(String.valueOf(post.id()));
        if (inReplyTo == null) roots.add(post.id());
        sleep(Duration.ofMillis(100)); // pacing: about ten customers' posts a second, on the wall clock
      }
    }));
    // X misbehaves every few seconds, on reads and on posts (denser faults would only measure the backoff rules).
    threads.add(start("faults", () -> {
      Fault.Kind[] kinds = {Fault.Kind.RATE_LIMIT, Fault.Kind.UNAVAILABLE, Fault.Kind.MALFORMED, Fault.Kind.SLOW, Fault.Kind.RESET};
      while (!stop.get()) {
        sleep(Duration.ofMillis(3_000 + random.nextInt(5_000)));
        Fault.Kind kind = kinds[random.nextInt(kinds.length)];
        boolean onPosts = random.nextInt(3) == 0;
        if (onPosts) kind = random.nextBoolean() ? Fault.Kind.LOSE_RESPONSE : Fault.Kind.UNAVAILABLE;
        long arg = kind == Fault.Kind.RATE_LIMIT ? 1 : kind == Fault.Kind.SLOW ? 1500 : 0;
        standIn.inject(new Fault(kind, 1, onPosts ? "/2/tweets" : "/2/users", arg));
        faults.incrementAndGet();
      }
    }));
    // Agents: claim one of the top new cases, answer it, resolve a third of them; log in again after a restart.
    for (int i = 0; i < AGENTS; i++) {
      String name = "soaker" + i;
      Random r = new Random(seed + i);
      threads.add(start(name, () -> {
        Agent agent = null;
        int answered = 0;
        while (!stop.get()) {
          try {
            if (agent == null) agent = Agent.login(vertx, app.port, name, name + "-long-password");
            Agent.Reply list = agent.get("/api/cases?state=new&limit=10");
            if (list.status() == 401) {
              agent = null;
              continue;
            }
            JsonArray items = list.status() == 200 ? list.json().getJsonArray("items") : new JsonArray();
            items.forEach(c -> firstDue.putIfAbsent(((JsonObject) c).getString("id"), String.valueOf(((JsonObject) c).getString("firstResponseDueAt"))));
            if (items.isEmpty()) {
              sleep(Duration.ofMillis(200));
              continue;
            }
            JsonObject c = items.getJsonObject(r.nextInt(items.size()));
            String id = c.getString("id");
            if (agent.post("/api/cases/" + id + "/claim", null).status() != 200) continue;
            String text = "@" + c.getJsonObject("customer").getString("handle") + " soak answer " + name + "-" + (answered++);
            Agent.Reply reply = agent.post("/api/cases/" + id + "/reply", new JsonObject().put("text", text));
            replyAnswers.merge(reply.status() + (reply.status() == 201 ? " " + reply.json().getString("state") : ""), 1, Integer::sum);
            if (reply.status() == 201 && "posted".equals(reply.json().getString("state"))) {
              acknowledgedReplies.put(text, id);
              if (r.nextInt(3) == 0 && agent.post("/api/cases/" + id + "/resolve", null).status() == 200) acknowledgedResolves.add(id);
            }
          } catch (Throwable e) {
            // The process is being killed under us: what was acknowledged is recorded, the rest may or may not be.
            if (agentErrors.incrementAndGet() % 40 == 1) System.out.println("soak: agent " + name + ": " + e);
            agent = null;
            sleep(Duration.ofMillis(300));
          }
        }
      }));
    }

    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < end) {
      sleep(Duration.ofMillis(6_000 + random.nextInt(9_000)));
      if (System.nanoTime() >= end) break;
      app.kill();
      kills.incrementAndGet();
      sleep(Duration.ofMillis(random.nextInt(1_000)));
      app.start();
    }
    stop.set(true);
    for (Thread th : threads) th.join();
    standIn.clearFaults();

    Agent lead = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    Map<String, List<String>> casesOfTweet = new HashMap<>();
    // Generous: a poll may be backing off from the last faults (a run of 5xx waits 5, 10, 20 s...).
    eventually("every released mention in a case", Duration.ofSeconds(300), () -> {
      casesOfTweet.clear();
      allCases(lead).forEach(c -> c.getJsonArray("messages").forEach(m -> {
        JsonObject msg = (JsonObject) m;
        if ("customer".equals(msg.getString("from"))) casesOfTweet.computeIfAbsent(msg.getString("tweetId"), k -> new ArrayList<>()).add(c.getString("id"));
      }));
      return casesOfTweet.keySet().containsAll(released);
    });
    // Out of process, no poll counter to read: three seconds of polls (every 200 ms) for a duplicate to turn up.
    sleep(Duration.ofMillis(3_000));
    List<JsonObject> cases = allCases(lead);
    casesOfTweet.clear();
    cases.forEach(c -> c.getJsonArray("messages").forEach(m -> {
      JsonObject msg = (JsonObject) m;
      if ("customer".equals(msg.getString("from"))) casesOfTweet.computeIfAbsent(msg.getString("tweetId"), k -> new ArrayList<>()).add(c.getString("id"));
    }));
    Map<String, JsonObject> byId = new HashMap<>();
    cases.forEach(c -> byId.put(c.getString("id"), c));

    // X's own record of our posts: each text once.
    Map<String, Integer> onX = new HashMap<>();
    t.all().stream().filter(p -> p.authorId().equals(Harness.BRAND_ID)).forEach(p -> onX.merge(p.text(), 1, Integer::sum));
    long postedTwice = onX.values().stream().filter(n -> n > 1).count();
    long deadlinesMoved = firstDue.entrySet().stream()
      .filter(e -> byId.containsKey(e.getKey()) && !e.getValue().equals(String.valueOf(byId.get(e.getKey()).getString("firstResponseDueAt"))))
      .count();
    Set<String> missingReplies = new HashSet<>();
    acknowledgedReplies.forEach((text, caseId) -> {
      boolean inCase = byId.get(caseId).getJsonArray("messages").stream().anyMatch(m -> text.equals(((JsonObject) m).getString("text")));
      if (!inCase || onX.getOrDefault(text, 0) != 1) missingReplies.add(text);
    });
    long unresolved = acknowledgedResolves.stream().filter(id -> !"resolved".equals(byId.get(id).getString("state"))).count();
    long inTwoCases = casesOfTweet.values().stream().filter(l -> l.size() > 1).count();

    System.out.printf("soak: %d s, %d kills, %d fault injections, %d mentions released, %d cases, %d mentions in two cases, "
        + "%d replies acknowledged (%d missing), %d posts on X (%d texts twice), %d resolves acknowledged (%d undone), "
        + "%d deadlines watched (%d moved), %d agent requests cut by kills; answers to replies: %s%n",
      seconds, kills.get(), faults.get(), released.size(), cases.size(), inTwoCases, acknowledgedReplies.size(), missingReplies.size(),
      onX.values().stream().mapToInt(Integer::intValue).sum(), postedTwice, acknowledgedResolves.size(), unresolved,
      firstDue.size(), deadlinesMoved, agentErrors.get(), replyAnswers);

    assertTrue(kills.get() >= 2, "killed at least twice");
    assertEquals(0, inTwoCases, "a mention in two cases");
    assertTrue(casesOfTweet.keySet().containsAll(released), "a released mention is in no case");
    assertEquals(0, postedTwice, "a reply on X twice");
    assertEquals(Set.of(), missingReplies, "acknowledged replies missing from their case or from X");
    assertEquals(0, unresolved, "an acknowledged resolve was lost");
    assertEquals(0, deadlinesMoved, "a first-response deadline moved across restarts");
    assertFalse(acknowledgedReplies.isEmpty(), "the agents got work done (otherwise this proves little)");
    app.terminate();
    standIn.stop().await();
  }

  static List<JsonObject> allCases(Agent a) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = a.get("/api/cases?limit=200" + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).json();
      page.getJsonArray("items").forEach(c -> all.add((JsonObject) c));
      cursor = page.getString("next");
    } while (cursor != null);
    return all;
  }

  static Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.start();
    return thread;
  }
}
