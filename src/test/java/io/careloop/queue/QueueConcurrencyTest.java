package io.careloop.queue;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Future;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Twenty agents work one queue at once for a minute while new mentions keep arriving, each taking one of the top new
 * cases, claiming it and resolving it: every case is won by exactly one agent, nobody else's claim ever succeeds on
 * it, and no request fails with a 5xx. {@code -Dconcurrency.seconds=N} changes the length of the run.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Twenty agents working one queue for a minute: no case claimed twice")
class QueueConcurrencyTest {
  static final int CASES = 120;
  static final int AGENTS = 20;
  static final long SECONDS = Long.getLong("concurrency.seconds", 60);

  @Test
  void twentyAgentsOneQueue(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      for (int i = 0; i < 10; i++) t.account(String.valueOf(800 + i), "busy" + i, "Busy " + i, 10);
      for (int i = 0; i < CASES; i++) t.publish(String.valueOf(800 + i % 10), "@AcmeCloud problem number " + i, null, null);
      eventually(CASES + " cases", Duration.ofSeconds(60), () -> h.cases().size() == CASES);
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) agents.add(h.newAgent("worker" + i, "agent"));

      Map<String, List<String>> wins = new ConcurrentHashMap<>();
      AtomicInteger serverErrors = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
      // Customers keep writing through the run: five new mentions a second.
      AtomicInteger published = new AtomicInteger(CASES);
      long feeder = vertx.setPeriodic(200, id -> {
        int n = published.getAndIncrement();
        t.publish(String.valueOf(800 + n % 10), "@AcmeCloud problem number " + n, null, null);
      });
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        // Each turn starts from a callback of the last; the future only says when the agent stopped.
        io.vertx.core.Promise<Void> stopped = io.vertx.core.Promise.promise();
        Agent agent = agents.get(i);
        Random random = new Random(i);
        Runnable[] turn = new Runnable[1];
        turn[0] = () -> {
          if (System.nanoTime() > deadline) stopped.complete();
          else work(vertx, agent, random, wins, serverErrors, conflicts).onComplete(ar -> turn[0].run());
        };
        turn[0].run();
        loops.add(stopped.future());
      }
      Future.all(loops).await();
      vertx.cancelTimer(feeder);

      System.out.printf("concurrency: %d agents for %d s, %d mentions, %d claims won, %d refused with 409, %d server errors%n",
        AGENTS, SECONDS, published.get(), wins.values().stream().mapToInt(List::size).sum(), conflicts.get(), serverErrors.get());
      assertEquals(0, serverErrors.get(), "no 5xx");
      assertTrue(wins.size() >= CASES, "the agents worked through the backlog and beyond: " + wins.size());
      wins.forEach((id, who) -> assertEquals(1, who.size(), id + " claimed by " + who));
      Map<String, String> states = new java.util.HashMap<>();
      h.cases().forEach(c -> states.put(c.getString("_id"), c.getString("state")));
      wins.keySet().forEach(id -> assertEquals("resolved", states.get(id), id + " was won and resolved"));
      assertTrue(conflicts.get() > 0, "the agents did collide (otherwise this proves nothing)");
    }
  }

  /** One turn of an agent: look at the top new cases, claim one, resolve it; wait a moment if none is there. */
  static Future<Void> work(Vertx vertx, Agent a, Random random, Map<String, List<String>> wins, AtomicInteger serverErrors,
                           AtomicInteger conflicts) {
    return a.client().get("/api/cases?state=new&limit=5").send().compose(list -> {
      if (list.statusCode() >= 500) serverErrors.incrementAndGet();
      JsonArray items = list.statusCode() == 200 ? list.bodyAsJsonObject().getJsonArray("items") : new JsonArray();
      if (items.isEmpty()) return vertx.timer(100).mapEmpty();
      String id = items.getJsonObject(random.nextInt(items.size())).getString("id");
      return a.client().post("/api/cases/" + id + "/claim").putHeader("X-CSRF-Token", a.csrf()).send().compose(claim -> {
        if (claim.statusCode() >= 500) serverErrors.incrementAndGet();
        if (claim.statusCode() == 409) conflicts.incrementAndGet();
        if (claim.statusCode() != 200) return Future.succeededFuture();
        wins.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(a.username);
        return a.client().post("/api/cases/" + id + "/resolve").putHeader("X-CSRF-Token", a.csrf()).send().map(resolved -> {
          if (resolved.statusCode() >= 500) serverErrors.incrementAndGet();
          return null;
        });
      });
    });
  }
}
