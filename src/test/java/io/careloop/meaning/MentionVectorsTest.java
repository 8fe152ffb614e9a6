package io.careloop.meaning;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Every customer post gets a vector behind ingestion, kept across restarts, back-filled for old data")
class MentionVectorsTest {
  @TempDir Path data;

  @Test
  @DisplayName("new posts are embedded once durable; posts stored without a vector are back-filled at start; a restart embeds nothing again")
  void liveBackfillAndRestart(Vertx vertx) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      h.standIn().timeline().account("21", "erin", "Erin", 300);
      String first = String.valueOf(h.standIn().timeline().publish("21", "@AcmeCloud my invoice shows the wrong amount", null, null).id());
      eventually("case of the new post", Duration.ofSeconds(20), () -> h.count(MongoCaseRepository.CASES, new JsonObject().put("_id", "c" + first)) == 1);
      eventually("vector of the new post", Duration.ofSeconds(20), () -> h.count(MentionVectors.VECTORS, new JsonObject().put("_id", first)) == 1);
      JsonObject stored = h.mongo().findOne(MentionVectors.VECTORS, new JsonObject().put("_id", first), null).await();
      assertEquals(SentenceModel.ID, stored.getString("model"));
      float[] v = Vectors.decode(stored.getString("v"));
      assertEquals(1.0, Vectors.cosine(v, SentenceModel.shared().embed("my invoice shows the wrong amount")), 1e-4, "the post's text, without the handle");

      // As after an upgrade: posts stored before vectors existed (and a vector of an older model, which is not used).
      for (int i = 0; i < 300; i++) {
        h.mongo().insert(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", "9" + String.format("%05d", i)).put("disposition", "queued")
          .put("text", "old question number " + i)).await();
      }
      h.mongo().insert(MongoCaseRepository.MENTIONS, new JsonObject().put("_id", "own1").put("disposition", "own-post").put("text", "our own post")).await();
      h.mongo().save(MentionVectors.VECTORS, new JsonObject().put("_id", first).put("model", "older-model").put("v", "AAAA")).await();
      h.mongo().removeDocuments(MentionEmbedding.PROGRESS, new JsonObject()).await();
      h.restart();
      var progress = h.app().mentionEmbedding();
      eventually("back-fill finished", Duration.ofSeconds(60), progress::finished);
      assertEquals(301, progress.progress().looked());
      assertEquals(301, progress.progress().embedded(), "the 300 old posts and the one whose vector was of another model");
      assertEquals(0, h.count(MentionVectors.VECTORS, new JsonObject().put("_id", "own1")), "the brand's own posts are not customers' words");
      var ready = h.http().get(h.port(), "127.0.0.1", "/health/ready").send().await().bodyAsJsonObject();
      JsonObject meaning = ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> "meaning".equals(c.getString("id"))).findFirst().orElseThrow().getJsonObject("data");
      assertEquals(SentenceModel.ID, meaning.getString("model"));
      assertTrue(meaning.getJsonObject("backfill").getBoolean("finished"));
      assertEquals(301, meaning.getJsonObject("backfill").getInteger("embedded"));

      h.restart();
      eventually("second back-fill finished", Duration.ofSeconds(30), () -> h.app().mentionEmbedding().finished());
      assertEquals(0, h.app().mentionEmbedding().progress().embedded(), "a restart embeds nothing again");
    }
  }

  @Test
  @DisplayName("a database fault during the back-fill pauses it and it resumes where it was: nothing skipped, nothing embedded twice")
  void backfillRetriesAfterAFault(Vertx vertx) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      java.util.List<MentionEmbedding.Text> stored = new java.util.ArrayList<>();
      for (int i = 0; i < 300; i++) stored.add(new MentionEmbedding.Text("8" + String.format("%05d", i), "stored question " + i));
      int[] calls = {0, 0};
      MentionEmbedding.Source faulty = new MentionEmbedding.Source() {
        @Override public io.vertx.core.Future<java.util.List<MentionEmbedding.Text>> after(String cursor, int limit) {
          // The second page's read fails once, as a read would while the database is away.
          if (++calls[0] == 2) return io.vertx.core.Future.failedFuture(new com.mongodb.MongoSocketReadException("cut", new com.mongodb.ServerAddress()));
          return io.vertx.core.Future.succeededFuture(stored.stream().filter(t -> t.id().compareTo(cursor) > 0).limit(limit).toList());
        }

        @Override public io.vertx.core.Future<Long> countAfter(String cursor) {
          if (++calls[1] == 1) return io.vertx.core.Future.failedFuture(new com.mongodb.MongoSocketReadException("cut", new com.mongodb.ServerAddress()));
          return io.vertx.core.Future.succeededFuture(stored.stream().filter(t -> t.id().compareTo(cursor) > 0).count());
        }
      };
      Embeddings embeddings = new Embeddings(vertx, SentenceModel.shared());
      MentionEmbedding backfill = new MentionEmbedding(vertx, h.mongo(), embeddings, new MentionVectors(h.mongo()), faulty, java.time.Clock.systemUTC());
      h.mongo().removeDocuments(MentionEmbedding.PROGRESS, new JsonObject()).await();
      vertx.runOnContext(v -> backfill.start());
      eventually("back-fill finished after two faults", Duration.ofSeconds(40), backfill::finished);
      backfill.stop();
      assertEquals(300, backfill.progress().embedded(), "every stored post, once");
      assertEquals(300, backfill.progress().looked());
      assertEquals(300, h.count(MentionVectors.VECTORS, new JsonObject().put("_id", new JsonObject().put("$regex", "^8"))));
      assertTrue(calls[1] >= 2 && calls[0] >= 3, "it retried: " + calls[0] + " page reads, " + calls[1] + " counts");
    }
  }
}
