package io.careloop.scaleout;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.careloop.support.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keeper of a one-node-at-a-time duty (SLA scan, question clusters), checked by hand: no timer runs. */
@ExtendWith(VertxExtension.class)
@DisplayName("A lease keeper tells its duty when this node takes, keeps or loses the lease")
class LeaseKeeperTest {
  private static final Duration TTL = Duration.ofSeconds(5);
  private MongoServer server;
  private MongoClient mongo;
  private final TestClock clock = new TestClock();

  @BeforeEach
  void start(Vertx vertx) {
    server = new MongoServer(new MemoryBackend());
    var address = server.bind();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + address.getPort()).put("db_name", "keeper"));
  }

  @AfterEach
  void stop() {
    mongo.close().await();
    server.shutdownNow();
  }

  /** Records what the keeper told it. */
  static final class Recorder implements LeaseKeeper.Duty {
    final List<String> said = new ArrayList<>();
    boolean fail;

    @Override public Future<?> took(long token) {
      said.add("took " + token);
      return fail ? Future.failedFuture(new IllegalStateException("work failed")) : Future.succeededFuture();
    }

    @Override public Future<?> kept(long token) {
      said.add("kept " + token);
      return Future.succeededFuture();
    }

    @Override public void lost() { said.add("lost"); }
  }

  @Test
  @DisplayName("one node takes the duty, keeps it at every check, and hands it over when its lease runs out")
  void takeKeepHandOver(Vertx vertx) {
    Leases a = new Leases(vertx, mongo, clock, "a", TTL);
    Leases b = new Leases(vertx, mongo, clock, "b", TTL);
    Recorder onA = new Recorder();
    Recorder onB = new Recorder();
    LeaseKeeper keeperA = new LeaseKeeper(vertx, a, "duty", Duration.ofSeconds(1), "test duty", onA);
    LeaseKeeper keeperB = new LeaseKeeper(vertx, b, "duty", Duration.ofSeconds(1), "test duty", onB);

    keeperA.check().await();
    keeperB.check().await();
    keeperA.check().await();
    assertEquals(List.of("took 1", "kept 1"), onA.said);
    assertEquals(List.of(), onB.said, "b waits while a holds the lease");
    assertTrue(keeperA.holding());
    assertFalse(keeperB.holding());

    clock.advance(Duration.ofSeconds(6));
    keeperB.check().await();
    keeperA.check().await();
    assertEquals(List.of("took 2"), onB.said, "a stopped renewing: b takes over with a new token");
    assertEquals(List.of("took 1", "kept 1", "lost"), onA.said);
    assertFalse(keeperA.holding());
    keeperA.check().await();
    assertEquals(List.of("took 1", "kept 1", "lost"), onA.said, "lost is said once");
  }

  @Test
  @DisplayName("a failing duty does not fail the check, and the next check goes on under the same token")
  void failureIsContained(Vertx vertx) {
    Recorder duty = new Recorder();
    duty.fail = true;
    LeaseKeeper keeper = new LeaseKeeper(vertx, new Leases(vertx, mongo, clock, "a", TTL), "duty", Duration.ofSeconds(1), "test duty", duty);
    keeper.check().await();
    keeper.check().await();
    assertEquals(List.of("took 1", "kept 1"), duty.said);
  }
}
