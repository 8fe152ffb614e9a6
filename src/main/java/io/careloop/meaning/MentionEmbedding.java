package io.careloop.meaning;

import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives every customer post a vector, behind ingestion: new posts once intake has made them durable
 * ({@link #embedNew}), and posts stored before (an upgrade, or a crash between storing and embedding) by a back-fill
 * that starts with the service and walks the posts in id order from where it stopped ({@code meaning_progress},
 * owned here). Neither is in the durability path of ingestion; a post without a vector yet works everywhere, by its
 * words.
 */
public final class MentionEmbedding {
  private static final Logger log = LoggerFactory.getLogger(MentionEmbedding.class);
  public static final String PROGRESS = "meaning_progress";
  private static final String CHECKPOINT = "mentions";
  private static final int PAGE = 256;
  private static final long RETRY_MS = 5_000;
  private static final long LOG_EVERY_MS = 10_000;

  /** A post to embed. */
  public record Text(String id, String text) {}

  /** The posts there are, in id order (the queue owns them). */
  public interface Source {
    Future<List<Text>> after(String cursor, int limit);

    Future<Long> countAfter(String cursor);
  }

  /** How far the back-fill is: posts looked at of those there were when it started, and whether it is done. */
  public record Progress(long looked, long total, long embedded, boolean finished, String unavailable) {
    public JsonObject json() {
      JsonObject out = new JsonObject().put("model", SentenceModel.ID).put("backfill", new JsonObject().put("looked", looked).put("of", total)
        .put("embedded", embedded).put("finished", finished));
      return unavailable == null ? out : out.put("unavailable", unavailable);
    }
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Embeddings embeddings;
  private final MentionVectors vectors;
  private final Source source;
  private final Clock clock;
  private final AtomicLong looked = new AtomicLong();
  private final AtomicLong embedded = new AtomicLong();
  private volatile long total = -1;
  private volatile boolean finished;
  private volatile boolean stopped;
  private long lastLog;
  private long timer = -1;

  public MentionEmbedding(Vertx vertx, MongoClient mongo, Embeddings embeddings, MentionVectors vectors, Source source, Clock clock) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.embeddings = embeddings;
    this.vectors = vectors;
    this.source = source;
    this.clock = clock;
  }

  /** Embeds and stores posts that intake has just made durable; completes with their vectors, by post id. */
  public Future<Map<String, float[]>> embedNew(List<Text> posts) {
    return embedAndStore(posts);
  }

  private Future<Map<String, float[]>> embedAndStore(List<Text> posts) {
    Future<Map<String, float[]>> chain = Future.succeededFuture(new LinkedHashMap<>());
    for (int from = 0; from < posts.size(); from += Embeddings.BATCH) {
      List<Text> batch = posts.subList(from, Math.min(posts.size(), from + Embeddings.BATCH));
      chain = chain.compose(done -> embeddings.embedAll(batch.stream().map(Text::text).toList()).compose(vs -> {
        Map<String, float[]> these = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) these.put(batch.get(i).id(), vs.get(i));
        return vectors.putAll(these, clock.instant()).map(v -> {
          done.putAll(these);
          return done;
        });
      }));
    }
    return chain;
  }

  /** Starts the back-fill in the background; completes at once. */
  public Future<Void> start() {
    mongo.findOne(PROGRESS, new JsonObject().put("_id", CHECKPOINT), null)
      .compose(state -> {
        String cursor = state == null || !SentenceModel.ID.equals(state.getString("model")) ? "" : state.getString("cursor", "");
        return source.countAfter(cursor).map(n -> {
          total = n;
          if (n > 0) log.info("Embedding {} stored posts in the background ({} from the start)", n, cursor.isEmpty() ? "all" : "those after " + cursor);
          return cursor;
        });
      })
      .onSuccess(this::step)
      .onFailure(e -> retry("", e));
    return Future.succeededFuture();
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  public Progress progress() {
    return new Progress(looked.get(), Math.max(total, 0), embedded.get(), finished, embeddings.unavailable() == null ? null : embeddings.unavailable().getMessage());
  }

  /** Whether the back-fill has looked at every stored post (tests wait on it). */
  public boolean finished() { return finished; }

  private void step(String cursor) {
    if (stopped) return;
    source.after(cursor, PAGE).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture((String) null);
      String last = page.get(page.size() - 1).id();
      return vectors.get(page.stream().map(Text::id).toList())
        .compose(have -> {
          List<Text> missing = new ArrayList<>();
          for (Text t : page) if (!have.containsKey(t.id())) missing.add(t);
          return embedAndStore(missing).map(done -> missing.size());
        })
        .compose(n -> {
          looked.addAndGet(page.size());
          embedded.addAndGet(n);
          return saveCursor(last);
        })
        .map(v -> last);
    }).onSuccess(next -> {
      if (next == null) {
        finished = true;
        if (total > 0) log.info("Back-fill done: {} stored posts looked at, {} embedded", looked.get(), embedded.get());
        return;
      }
      long now = System.currentTimeMillis();
      if (now - lastLog >= LOG_EVERY_MS) {
        lastLog = now;
        log.info("Back-fill: {} of {} stored posts looked at, {} embedded", looked.get(), total, embedded.get());
      }
      vertx.runOnContext(v -> step(next));
    }).onFailure(e -> retry(cursor, e));
  }

  private void retry(String cursor, Throwable e) {
    if (stopped) return;
    if (e instanceof ModelUnavailable) return; // said once by Embeddings; nothing to retry on this machine
    log.warn("Back-fill of post vectors paused ({}); again in {} s", e.toString(), RETRY_MS / 1000);
    timer = vertx.setTimer(RETRY_MS, t -> {
      if (total < 0) start();
      else step(cursor);
    });
  }

  private Future<Void> saveCursor(String cursor) {
    return mongo.updateCollectionWithOptions(PROGRESS, new JsonObject().put("_id", CHECKPOINT),
      new JsonObject().put("$set", new JsonObject().put("cursor", cursor).put("model", SentenceModel.ID).put("at", Dates.bson(clock.instant()))),
      new UpdateOptions().setUpsert(true)).mapEmpty();
  }
}
