package io.careloop.it;

import io.careloop.queue.MongoCaseRepository;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.careloop.support.Agent;
import io.careloop.support.CuttableProxy;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The database becomes unreachable for a while (a MongoDB behind a TCP forwarder the test cuts): readiness fails,
 * the API answers 503 naming the database, polling stops reading X, the console shows the degraded state; when the
 * database is back, all of it recovers on its own and the mentions posted meanwhile become cases, each once.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Database outage: readiness, API, polling and console degrade and recover, nothing lost")
class DatabaseOutageIT {

  @Test
  void outageAndRecovery(Vertx vertx, @TempDir Path dir) throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    int mongoPort = mongo.getLocalAddress().getPort();
    CuttableProxy link = new CuttableProxy(vertx, mongoPort);
    int linkPort = link.start().await();
    try (Harness h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", "",
      "CARELOOP_MONGO_URI", "mongodb://127.0.0.1:" + linkPort + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=1000"));
         Browsers browsers = new Browsers(h, dir)) {
      StandInTimeline t = h.standIn().timeline();
      t.account("41", "olga", "Olga", 10);
      Set<String> before = new HashSet<>();
      for (int i = 0; i < 5; i++) before.add(String.valueOf(t.publish("41", "@AcmeCloud before the outage " + i, null, null).id()));
      eventually("five cases", Duration.ofSeconds(20), () -> h.cases().size() == 5);
      h.newAgent("watcher", "agent");
      Agent agent = Agent.login(vertx, h.port(), "watcher", "watcher-long-password");
      WebDriver console = browsers.signedIn("watcher");
      assertFalse(console.findElement(By.id("degraded")).isDisplayed());

      link.cut();
      int[] seen = {0};
      eventually("readiness fails", Duration.ofSeconds(10), () -> (seen[0] = ready(h)) == 503);
      // Accounts are checked from a copy at most a second old; past that every API call needs the database.
      io.careloop.support.Eventually.sleep(Duration.ofMillis(1_100));
      Agent.Reply during = agent.get("/api/cases?state=new");
      assertEquals(503, during.status(), during.response().bodyAsString());
      assertEquals("database-unavailable", during.json().getString("error"));
      assertEquals("5", during.response().getHeader("retry-after"));
      eventually("the console shows the degraded state", Duration.ofSeconds(15), () -> console.findElement(By.id("degraded")).isDisplayed());
      var cluster = h.http().get(h.port(), "127.0.0.1", "/health/cluster").timeout(15_000).send().await();
      assertEquals(503, cluster.statusCode());
      assertEquals("database-unavailable", cluster.bodyAsJsonObject().getString("error"));

      // Polling pauses: it needs the database before it reads X, so X is not read while it is away.
      // Wall-clock on purpose (out of process): a poll under way at the cut may still read; after 2 s none is.
      io.careloop.support.Eventually.sleep(Duration.ofSeconds(2));
      long readsAtCut = mentionReads(h);
      Set<String> duringOutage = new HashSet<>();
      for (int i = 0; i < 10; i++) duringOutage.add(String.valueOf(t.publish("41", "@AcmeCloud during the outage " + i, null, null).id()));
      // Five seconds, some 25 poll intervals, in which X must not be read.
      io.careloop.support.Eventually.sleep(Duration.ofSeconds(5));
      long readsDuring = mentionReads(h) - readsAtCut;
      assertTrue(readsDuring <= 1, "X read " + readsDuring + " times while the database was away");
      assertEquals(503, ready(h));
      System.out.println("outage: readiness answered " + seen[0]);

      link.restore();
      eventually("readiness recovers", Duration.ofSeconds(20), () -> ready(h) == 200);
      eventually("the mentions posted during the outage become cases", Duration.ofSeconds(30), () -> h.cases().size() == 15);
      eventually("the console recovers", Duration.ofSeconds(15), () -> !console.findElement(By.id("degraded")).isDisplayed());
      Set<String> tweets = new HashSet<>();
      h.cases().forEach(c -> assertTrue(tweets.add(c.getString("tweetId")), "one case per mention"));
      Set<String> all = new HashSet<>(before);
      all.addAll(duringOutage);
      assertEquals(all, tweets);
      assertEquals(15, h.count(MongoCaseRepository.MENTIONS, new JsonObject()));
      assertEquals(200, agent.get("/api/cases?state=new").status(), "the session outlived the outage");
      System.out.printf("outage: X read %d times in 5 s without a database; 10 mentions from the outage became cases after it%n", readsDuring);
    } finally {
      link.stop().await();
      mongo.shutdownNow();
    }
  }

  static int ready(Harness h) {
    try {
      return h.http().get(h.port(), "127.0.0.1", "/health/ready").timeout(5_000).send().await().statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static long mentionReads(Harness h) {
    return h.standIn().stats().getJsonObject("requests").stream()
      .filter(e -> e.getKey().contains("/mentions")).mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }
}
