package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Backpressure: 10,000 mentions land at once while CareLoop runs (the jar, heap capped at 512 MB, event-loop stalls
 * over 200 ms reported by Vert.x). All become cases, the queue API keeps answering meanwhile, and once CareLoop is
 * ready the log has no blocked-thread warning and no OutOfMemoryError.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A burst of 10,000 mentions: bounded memory, no blocked event loop")
class BurstIT {
  static final int BURST = 10_000;

  @Test
  void burst(Vertx vertx, @TempDir Path dir) throws Exception {
    XStandIn standIn = new XStandIn(vertx, Clock.systemUTC(), Harness.BRAND_ID, "AcmeCloud", "Acme Cloud");
    String xBase = standIn.start(0).await();
    StandInTimeline t = standIn.timeline();
    for (int i = 0; i < 100; i++) t.account(String.valueOf(700 + i), "burst" + i, "Burst " + i, 10L * i);
    CareLoopProcess app = new CareLoopProcess(dir.resolve("data"), Map.of("CARELOOP_X_BASE_URL", xBase, "CARELOOP_X_BEARER_TOKEN", "b",
      "CARELOOP_X_CONSUMER_KEY", "ck", "CARELOOP_X_CONSUMER_SECRET", "cs", "CARELOOP_X_ACCESS_TOKEN", "at",
      "CARELOOP_X_ACCESS_TOKEN_SECRET", "ats", "CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_X_MONTHLY_READ_CAP", "1000000"));
    app.jvmArgs.addAll(List.of("-Xmx512m", "-Dcareloop.blockedThreadWarnMs=200"));
    app.start();
    try {
      Agent lead = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
      long t0 = System.nanoTime();
      for (int i = 0; i < BURST; i++) t.publish(String.valueOf(700 + i % 100), "@AcmeCloud burst question " + i + ", help?", null, null);

      // An agent keeps using the queue through the burst.
      List<Long> queueMillis = Collections.synchronizedList(new ArrayList<>());
      long[] cases = {0};
      eventually(BURST + " cases", Duration.ofMinutes(8), () -> {
        long q0 = System.nanoTime();
        JsonObject page = lead.get("/api/cases?state=new&limit=50").expect(200).json();
        queueMillis.add((System.nanoTime() - q0) / 1_000_000);
        cases[0] = countNew(lead);
        return page.getJsonArray("items").size() == 50 && cases[0] >= BURST;
      });
      long seconds = (System.nanoTime() - t0) / 1_000_000_000;
      long[] memory = app.residentMiB();
      // Start-up (before the server listens) loads classes and compiles templates on the event loop once; that is
      // not the burst, so only what the log says after "CareLoop ready" counts here.
      String whole = Files.readString(app.log);
      String log = whole.substring(whole.indexOf("CareLoop ready"));
      List<Long> sorted = new ArrayList<>(queueMillis);
      Collections.sort(sorted);
      System.out.printf("burst: %d mentions became cases in %d s; resident memory %d MiB, peak %d MiB (heap capped at 512 MB); "
          + "queue page during the burst: %d requests, median %d ms, max %d ms; blocked-thread warnings: %d%n",
        BURST, seconds, memory[0], memory[1], sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
        log.lines().filter(l -> l.contains("has been blocked for")).count());
      assertFalse(log.contains("has been blocked for"), "an event loop or worker was blocked; see " + app.log);
      assertFalse(log.contains("OutOfMemoryError"), "ran out of memory; see " + app.log);
      assertTrue(memory[1] < 1024, "peak resident memory " + memory[1] + " MiB");
      assertEquals(BURST, countNew(lead), "each mention once");
    } finally {
      app.terminate();
      standIn.stop().await();
    }
  }

  static long countNew(Agent a) {
    return a.get("/api/cases/counts").expect(200).json().getLong("unassigned", -1L);
  }
}
