package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Running totals kept beside the facts they sum, exactly once across crashes. A fact is stored first, marked not yet
 * counted; then its additions go to the totals ({@code $inc}, which cannot be repeated safely); then the fact is
 * marked counted. A crash between the first and the last step leaves the fact marked not counted, and
 * {@link #repair} recomputes the totals of its group from all its facts (a replacement, not an addition), so the
 * fact is neither lost (crash before the {@code $inc}) nor counted twice (crash after it).
 *
 * <p>Used by the analytics (facts = responses, breaches and clock starts; group = their day) and by the question
 * clusters (facts = answered cases; group = their cluster). The caller owns both collections; this class only
 * keeps the order of the three steps and finds what a crash left half done.
 */
public final class CountedRollup {
  /** The field on each fact that says whether its additions reached the totals. */
  public static final String COUNTED = "counted";

  private final MongoClient mongo;
  private final String facts;
  private final String groupField;

  /** @param groupField the fact field naming the totals it adds to (its day, its cluster) */
  public CountedRollup(MongoClient mongo, String facts, String groupField) {
    this.mongo = mongo;
    this.facts = facts;
    this.groupField = groupField;
  }

  /**
   * Stores the fact (not yet counted), runs {@code addToTotals} (the {@code $inc} and whatever else must happen
   * before the fact counts), then marks the fact counted. The fact must carry its {@code _id} and group field.
   */
  public Future<Void> add(JsonObject fact, Supplier<Future<?>> addToTotals) {
    fact.put(COUNTED, false);
    return mongo.insert(facts, fact)
      .compose(id -> addToTotals.get())
      .compose(v -> mongo.updateCollection(facts, new JsonObject().put("_id", fact.getValue("_id")),
        new JsonObject().put("$set", new JsonObject().put(COUNTED, true))))
      .mapEmpty();
  }

  /**
   * Recounts every group that has a fact not marked counted, one group at a time, with {@code recount} (which must
   * replace the group's totals with the sum of all its facts), then marks that group's facts counted. Returns how
   * many groups were recounted.
   */
  public Future<Integer> repair(Function<String, Future<?>> recount) {
    return mongo.findWithOptions(facts, new JsonObject().put(COUNTED, false),
        new FindOptions().setFields(new JsonObject().put("_id", 1).put(groupField, 1)))
      .compose(half -> {
        Set<String> groups = new LinkedHashSet<>();
        half.forEach(f -> groups.add(f.getString(groupField)));
        List<String> ordered = new ArrayList<>(groups);
        Future<Void> chain = Future.succeededFuture();
        for (String group : ordered) {
          chain = chain.compose(v -> recount.apply(group))
            .compose(v -> mongo.updateCollectionWithOptions(facts, new JsonObject().put(groupField, group).put(COUNTED, false),
              new JsonObject().put("$set", new JsonObject().put(COUNTED, true)), new UpdateOptions().setMulti(true)))
            .mapEmpty();
        }
        return chain.map(v -> ordered.size());
      });
  }
}
