package io.careloop.outbox;

import io.careloop.config.Settings;
import io.careloop.scaleout.PostingClaims;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.support.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The posting protocol on its own, against the embedded database and a network the test controls: what reaches the
 * network, and what the entry says afterwards, when answers are lost, attempts fail, senders race or stop half way.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The outbox posts each entry at most once")
class OutboxTest {
  private static final String NODE = "node-a";
  private static final Duration HOLD = Duration.ofSeconds(30);

  private static Database db;
  private static TestClock clock;
  private static Outbox outbox;

  @BeforeAll
  static void open(Vertx vertx, @TempDir Path data) {
    db = Database.open(vertx, Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"))).await();
    clock = new TestClock();
    outbox = new Outbox(db, new PostingClaims(NODE, HOLD, clock), clock);
  }

  @AfterAll
  static void close() {
    db.close().await();
  }

  /** A fresh collection per test, so entries of one test never show in another's recovery. */
  private static Slot documents() {
    return Slot.document("test entry", "outbox_test_" + UUID.randomUUID().toString().replace("-", ""), "updatedAt");
  }

  @Test
  @DisplayName("an answer lost after the post went up: the retry finds the post on the network and adopts it, posting nothing again")
  void lostAnswerThenRetryAdopts() {
    Slot slot = documents();
    FakeNetwork network = new FakeNetwork();
    assertTrue(outbox.store(slot, "e1", new JsonObject().put("text", "we fixed your invoice")).await());

    network.loseAnswers = true;
    Delivery first = outbox.send(slot, "e1", PostState.PENDING, 0, network).await();
    assertEquals(Delivery.Outcome.FAILED, first.outcome());
    assertEquals("failed", first.entry().getString("state"));
    assertEquals("could not post: answer lost", first.entry().getString("error"));
    assertEquals(1, network.posted.size(), "the post went up even though its answer was lost");

    network.loseAnswers = false;
    Delivery retry = outbox.send(slot, "e1", PostState.FAILED, 1, network).await();
    assertEquals(Delivery.Outcome.POSTED, retry.outcome());
    assertEquals(1, network.posted.size(), "adopted, not posted again");
    assertEquals(1, network.finds.get(), "the retry looked on the network first");
    assertEquals(network.posted.get(0).id(), retry.posted().id());
    JsonObject stored = outbox.read(slot, "e1").await();
    assertEquals("posted", stored.getString("state"));
    assertEquals(network.posted.get(0).id(), stored.getString("xTweetId"));
    assertEquals(2, stored.getInteger("attempts"));
    assertNull(stored.getString("error"));
  }

  @Test
  @DisplayName("a first attempt posts without looking, and is claimed (state posting, attempt counted, this node's claim) before the request leaves")
  void firstAttemptIsClaimedBeforeTheCall() {
    Slot slot = documents();
    FakeNetwork network = new FakeNetwork();
    outbox.store(slot, "e1", new JsonObject().put("text", "hello")).await();
    network.beforePost = () -> outbox.read(slot, "e1").map(doc -> {
      assertEquals("posting", doc.getString("state"));
      assertEquals(1, doc.getInteger("attempts"));
      assertEquals(NODE, doc.getString("node"));
      return null;
    });
    Delivery d = outbox.send(slot, "e1", PostState.PENDING, 0, network).await();
    assertEquals(Delivery.Outcome.POSTED, d.outcome());
    assertEquals(0, network.finds.get(), "nothing can be on the network before the first attempt");
    assertEquals(1, network.checkedBeforePost.get());
  }

  @Test
  @DisplayName("a sender that hung past its claim fails late: its failure does not overwrite the later attempt that posted")
  void failureIsRecordedForThisAttemptOnly() {
    Slot slot = documents();
    outbox.store(slot, "e1", new JsonObject().put("text", "your export works again")).await();
    FakeNetwork hung = new FakeNetwork();
    Promise<Void> release = Promise.promise();
    hung.hold = release.future();
    hung.failing = true;
    Future<Delivery> late = outbox.send(slot, "e1", PostState.PENDING, 0, hung);
    poll(() -> hung.postCalls.get() == 1);

    // Its claim ran out; another sender takes the next attempt and posts.
    FakeNetwork other = new FakeNetwork();
    Delivery taken = outbox.send(slot, "e1", PostState.POSTING, 1, other).await();
    assertEquals(Delivery.Outcome.POSTED, taken.outcome());
    assertEquals(1, other.finds.get(), "attempt 2 looked first");

    release.complete();
    Delivery lateOutcome = late.await();
    assertEquals(Delivery.Outcome.SUPERSEDED, lateOutcome.outcome());
    JsonObject stored = outbox.read(slot, "e1").await();
    assertEquals("posted", stored.getString("state"), "the late failure was not recorded");
    assertNull(stored.getString("error"));
    assertEquals(2, stored.getInteger("attempts"));
  }

  @Test
  @DisplayName("the failure of the attempt that still holds the entry is recorded, and can be retried")
  void failureOfTheCurrentAttemptIsRecorded() {
    Slot slot = documents();
    outbox.store(slot, "e1", new JsonObject().put("text", "try again")).await();
    FakeNetwork down = new FakeNetwork();
    down.failing = true;
    Delivery d = outbox.send(slot, "e1", PostState.PENDING, 0, down).await();
    assertEquals(Delivery.Outcome.FAILED, d.outcome());
    assertEquals("failed", d.entry().getString("state"));
    assertEquals("could not post: network down", d.entry().getString("error"));
    assertEquals(0, down.posted.size());

    FakeNetwork up = new FakeNetwork();
    assertEquals(Delivery.Outcome.POSTED, outbox.send(slot, "e1", PostState.FAILED, 1, up).await().outcome());
    assertEquals(1, up.posted.size(), "not on the network yet, so the retry posts");
  }

  @Test
  @DisplayName("two senders of the same attempt at once, and two stores of the same intent: one stores, one posts, once")
  void concurrentSendsPostOnce() {
    Slot slot = documents();
    List<Future<Boolean>> stores = List.of(outbox.store(slot, "e1", new JsonObject().put("text", "once")),
      outbox.store(slot, "e1", new JsonObject().put("text", "once")));
    Future.all(stores).await();
    assertEquals(1, stores.stream().filter(Future::result).count(), "one intent stored");

    FakeNetwork network = new FakeNetwork();
    List<Future<Delivery>> sends = List.of(outbox.send(slot, "e1", PostState.PENDING, 0, network),
      outbox.send(slot, "e1", PostState.PENDING, 0, network));
    Future.all(sends).await();
    assertEquals(1, network.posted.size(), "posted once");
    assertEquals(List.of(Delivery.Outcome.POSTED, Delivery.Outcome.SUPERSEDED),
      sends.stream().map(f -> f.result().outcome()).sorted().toList());
    assertEquals(1, outbox.read(slot, "e1").await().getInteger("attempts"));
  }

  @Test
  @DisplayName("recovery at start finishes this node's own and unclaimed entries, looking before posting; another node's running claim waits until it runs out")
  void recoveryAtStart() {
    Slot slot = documents();
    Instant now = clock.instant();
    FakeNetwork network = new FakeNetwork();
    // The previous process of this node crashed after its attempt reached the network.
    network.posted.add(new Posted("x-1", now.minusSeconds(5)));
    network.texts.add("mine, already up");
    insert(slot, entry("mine", "mine, already up", PostState.POSTING, 1).put("node", NODE).put("claimUntil", Dates.bson(now.plusSeconds(20))));
    insert(slot, entry("before-claims", "stored before claims existed", PostState.PENDING, 0));
    insert(slot, entry("theirs", "another node's", PostState.POSTING, 1).put("node", "node-b").put("claimUntil", Dates.bson(now.plusSeconds(20))));
    insert(slot, entry("done", "already posted", PostState.POSTED, 1).put("node", "node-b"));

    List<String> finished = new CopyOnWriteArrayList<>();
    var finish = (java.util.function.Function<JsonObject, Future<?>>) doc -> {
      finished.add(doc.getString("_id"));
      return outbox.send(slot, doc.getString("_id"), PostState.of(doc.getString("state")), doc.getInteger("attempts"), network);
    };
    assertEquals(1, outbox.recoverUnfinished(slot, false, finish).await(), "not at start: only the entry without a claim");
    assertEquals(List.of("before-claims"), finished);
    finished.clear();

    assertEquals(1, outbox.recoverUnfinished(slot, true, finish).await(), "at start: this node's own previous process's");
    assertEquals(List.of("mine"), finished);
    JsonObject mine = outbox.read(slot, "mine").await();
    assertEquals("posted", mine.getString("state"));
    assertEquals("x-1", mine.getString("xTweetId"), "adopted what the crashed attempt had posted");
    assertEquals(2, network.posted.size(), "only the unclaimed entry was posted");
    assertEquals("posting", outbox.read(slot, "theirs").await().getString("state"));

    clock.advance(HOLD);
    finished.clear();
    assertEquals(1, outbox.recoverUnfinished(slot, false, finish).await(), "the other node's claim ran out");
    assertEquals(List.of("theirs"), finished);
    assertEquals(NODE, outbox.read(slot, "theirs").await().getString("node"), "taken over by this node");
    assertEquals(0, outbox.recoverUnfinished(slot, true, finish).await(), "nothing left");
    assertEquals(3, network.posted.size());
  }

  @Test
  @DisplayName("an entry kept in its owner's document: stored once beside the owner's fields, posted under the field's prefix")
  void entryWithinTheOwnersDocument() {
    String collection = "outbox_test_" + UUID.randomUUID().toString().replace("-", "");
    Slot slot = Slot.within("tweet of post", collection, "tweet");
    db.mongo().insert(collection, new JsonObject().put("_id", "p1").put("title", "How to export")).await();
    assertTrue(outbox.store(slot, "p1", new JsonObject().put("text", "New post").put("link", "L")).await());
    assertEquals(false, outbox.store(slot, "p1", new JsonObject().put("text", "Another")).await(), "the first intent stands");
    assertEquals(false, outbox.store(slot, "missing", new JsonObject().put("text", "x")).await(), "no owner, no entry");

    FakeNetwork network = new FakeNetwork();
    Delivery d = outbox.send(slot, "p1", PostState.PENDING, 0, network).await();
    assertEquals(Delivery.Outcome.POSTED, d.outcome());
    assertEquals(List.of("New post"), network.texts);
    JsonObject post = outbox.read(slot, "p1").await();
    assertEquals("How to export", post.getString("title"));
    assertNull(post.getValue("updatedAt"), "the owner's fields are the owner's");
    assertEquals("posted", post.getJsonObject("tweet").getString("state"));
    assertEquals("L", post.getJsonObject("tweet").getString("link"));
    assertEquals(d.posted().id(), post.getJsonObject("tweet").getString("xTweetId"));
  }

  private static JsonObject entry(String id, String text, PostState state, int attempts) {
    return new JsonObject().put("_id", id).put("text", text).put("state", state.stored()).put("attempts", attempts);
  }

  private static void insert(Slot slot, JsonObject doc) {
    db.mongo().insert(slot.collection(), doc).await();
  }

  private static void poll(java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within 10 s");
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A network whose posts the test sees, which can lose answers, refuse, or hold a post until released. */
  private static final class FakeNetwork implements Network {
    final List<Posted> posted = new CopyOnWriteArrayList<>();
    final List<String> texts = new CopyOnWriteArrayList<>();
    final AtomicInteger finds = new AtomicInteger();
    final AtomicInteger postCalls = new AtomicInteger();
    final AtomicInteger checkedBeforePost = new AtomicInteger();
    volatile boolean loseAnswers;
    volatile boolean failing;
    volatile Future<Void> hold = Future.succeededFuture();
    volatile java.util.function.Supplier<Future<Void>> beforePost;

    @Override
    public Future<Posted> post(String text) {
      postCalls.incrementAndGet();
      Future<Void> before = beforePost == null ? Future.succeededFuture()
        : beforePost.get().onSuccess(v -> checkedBeforePost.incrementAndGet());
      return before.compose(v -> hold).compose(v -> {
        if (failing) return Future.failedFuture(new IllegalStateException("network down"));
        Posted p = new Posted("x-" + (posted.size() + 1) + "-" + UUID.randomUUID(), clock.instant());
        posted.add(p);
        texts.add(text);
        return loseAnswers ? Future.failedFuture(new IllegalStateException("answer lost")) : Future.succeededFuture(p);
      });
    }

    @Override
    public Future<Optional<Posted>> find(String text) {
      finds.incrementAndGet();
      int i = texts.indexOf(text);
      return Future.succeededFuture(i < 0 ? Optional.empty() : Optional.of(posted.get(i)));
    }
  }
}
