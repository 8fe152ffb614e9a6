package io.careloop.scaleout;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.listening.Source;
import io.careloop.support.TestClock;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases and fencing between nodes, on one MongoDB wire-protocol server; the lease clock is moved by hand. */
@ExtendWith(VertxExtension.class)
class LeasesTest {
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final String LEASE = "source:mentions-1";
  private MongoServer server;
  private MongoClient mongo;
  private final TestClock clock = new TestClock();

  @BeforeEach
  void start(Vertx vertx) {
    server = new MongoServer(new MemoryBackend());
    var address = server.bind();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + address.getPort()).put("db_name", "leases"));
  }

  @AfterEach
  void stop() {
    mongo.close().await();
    server.shutdownNow();
  }

  private Leases node(Vertx vertx, String id) {
    return new Leases(vertx, mongo, clock, id, TTL);
  }

  @Test
  @DisplayName("one node at a time holds a lease; a node that stops renewing loses it after the lease time, with a higher token")
  void oneHolderAndTakeoverAfterExpiry(Vertx vertx) {
    Leases a = node(vertx, "a");
    Leases b = node(vertx, "b");
    assertEquals(Optional.of(1L), a.hold(LEASE).await());
    assertEquals(Optional.empty(), b.hold(LEASE).await(), "held by a");

    clock.advance(Duration.ofSeconds(4));
    a.renewAll().await();
    clock.advance(Duration.ofSeconds(4));
    assertEquals(Optional.empty(), b.hold(LEASE).await(), "a renewed it 4 s ago: still a's");
    assertEquals(Optional.of(1L), a.hold(LEASE).await(), "renewing keeps the token");

    clock.advance(Duration.ofSeconds(6));
    assertEquals(Optional.of(2L), b.hold(LEASE).await(), "a went quiet for longer than the lease: b takes over with a new token");
    assertFalse(a.holds(LEASE, 1), "a's own clock says its lease ran out");
    assertEquals(Optional.empty(), a.hold(LEASE).await(), "and the database says it is b's");
    a.renewAll().await();
    assertEquals(Optional.empty(), a.hold(LEASE).await());
  }

  @Test
  @DisplayName("a frozen holder that wakes up renews nothing: its renewal finds a newer token and it drops the lease")
  void frozenHolderLosesOnRenewal(Vertx vertx) {
    Leases a = node(vertx, "a");
    Leases b = node(vertx, "b");
    a.hold(LEASE).await();
    clock.advance(TTL.plusSeconds(1));
    assertEquals(Optional.of(2L), b.hold(LEASE).await());
    clock.advance(Duration.ofSeconds(-TTL.toSeconds()));   // a's view: as if it woke up before its own expiry
    assertTrue(a.holds(LEASE, 1), "a still believes it holds the lease");
    a.renewAll().await();
    assertFalse(a.holds(LEASE, 1), "its renewal matched nothing: dropped");
    assertEquals("b", mongo.findOne(Leases.COLLECTION, new JsonObject().put("_id", LEASE), null).await().getString("holder"));
  }

  @Test
  @DisplayName("a released lease is taken at once; a restarted node takes back its own lease at once")
  void releaseAndRestart(Vertx vertx) {
    Leases a = node(vertx, "a");
    a.hold(LEASE).await();
    a.release().await();
    Leases b = node(vertx, "b");
    assertEquals(Optional.of(2L), b.hold(LEASE).await(), "no wait for the expiry after a graceful stop");

    Leases bAgain = node(vertx, "b");
    assertEquals(Optional.of(3L), bAgain.hold(LEASE).await(), "b's previous process cannot be running: taken back with a new token");
  }

  @Test
  @DisplayName("fencing: a checkpoint written under a superseded token is refused and leaves the checkpoint where the new holder put it")
  void staleCheckpointIsFenced(Vertx vertx) {
    MongoSourceRepository sources = new MongoSourceRepository(mongo);
    Source source = Source.mentionsOf("AcmeCloud", "1");
    sources.ensure(source).await();
    Leases a = node(vertx, "a");
    Leases b = node(vertx, "b");

    long tokenA = a.hold(LEASE).await().orElseThrow();
    sources.fence(source.id(), tokenA).await();
    sources.advanceCheckpoint(source.id(), "100", tokenA).await();

    clock.advance(TTL.plusSeconds(1));
    long tokenB = b.hold(LEASE).await().orElseThrow();
    sources.fence(source.id(), tokenB).await();
    sources.advanceCheckpoint(source.id(), "150", tokenB).await();

    // a wakes up with posts up to 120 (behind) and, in another poll, up to 200 (ahead): both refused.
    for (String stale : new String[] {"120", "200"}) {
      Exception e = assertThrows(Exception.class, () -> sources.advanceCheckpoint(source.id(), stale, tokenA).await());
      var fenced = assertInstanceOf(MongoSourceRepository.Fenced.class, e);
      assertEquals(tokenA, fenced.token);
      assertEquals(tokenB, fenced.newer);
    }
    assertEquals("150", sources.get(source.id()).await().getString("sinceId"));

    // The new holder's own writes still move it, and an older id from it is ignored rather than refused.
    sources.advanceCheckpoint(source.id(), "140", tokenB).await();
    sources.advanceCheckpoint(source.id(), "160", tokenB).await();
    assertEquals("160", sources.get(source.id()).await().getString("sinceId"));
  }

  @Test
  @DisplayName("two nodes racing for a lease that was never held: exactly one wins")
  void raceForNewLease(Vertx vertx) {
    for (int round = 0; round < 20; round++) {
      String lease = "race-" + round;
      var ra = node(vertx, "a").hold(lease);
      var rb = node(vertx, "b").hold(lease);
      io.vertx.core.Future.join(ra, rb).await();
      assertEquals(1, (ra.result().isPresent() ? 1 : 0) + (rb.result().isPresent() ? 1 : 0), "round " + round);
    }
  }
}
