package io.careloop.queue;

import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.errors.NotFound;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Each user's saved searches of the cases: a name and a filter (a query string of {@link CaseFilter}'s parameters,
 * checked before it is stored, so a saved view always opens). One document per user and name, keyed by both.
 */
public final class SavedViews {
  public static final String SAVED_VIEWS = "saved_views";
  static final int MAX_PER_USER = 30;

  /** A saved view: its name, its filter as a query string, when it was saved. */
  public record View(String name, String filter, java.time.Instant savedAt) {
    public JsonObject json() {
      return new JsonObject().put("name", name).put("filter", filter).put("savedAt", savedAt == null ? null : savedAt.toString());
    }
  }

  private final Database database;
  private final Clock clock;

  public SavedViews(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** The user's views, by name. A small collection: the scan for one user's is cheap even on the embedded server. */
  public Future<List<View>> of(String user) {
    return database.mongo().findWithOptions(SAVED_VIEWS, new JsonObject().put("user", user),
        new FindOptions().setSort(new JsonObject().put("name", 1)))
      .map(docs -> docs.stream().map(d -> new View(d.getString("name"), d.getString("filter"), Dates.instant(d.getValue("savedAt")))).toList());
  }

  /** Saves (or replaces) the view; the filter is checked as a search would read it. */
  public Future<View> save(String user, String name, String filter) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > 40) return Future.failedFuture(new Invalid("bad-name", "a view's name is 1 to 40 characters", Map.of("parameter", "name")));
    String normal;
    try {
      Map<String, String> p = CaseFilter.fromQueryString(filter);
      CaseFilter.parse(p, user);
      normal = CaseFilter.queryString(p);
    } catch (Invalid e) {
      return Future.failedFuture(e);
    }
    View view = new View(clean, normal, clock.instant());
    return of(user).compose(existing -> {
      if (existing.size() >= MAX_PER_USER && existing.stream().noneMatch(v -> v.name().equals(clean))) {
        return Future.failedFuture(new Conflict("too-many-views", "at most " + MAX_PER_USER + " saved views each: delete one first"));
      }
      JsonObject doc = new JsonObject().put("user", user).put("name", clean).put("filter", normal).put("savedAt", Dates.bson(view.savedAt()));
      return database.mongo().replaceDocumentsWithOptions(SAVED_VIEWS, new JsonObject().put("_id", key(user, clean)), doc, new UpdateOptions().setUpsert(true))
        .compose(r -> database.durable()).map(view);
    });
  }

  public Future<Void> delete(String user, String name) {
    return database.mongo().removeDocument(SAVED_VIEWS, new JsonObject().put("_id", key(user, name == null ? "" : name.strip())))
      .compose(r -> r.getRemovedCount() == 0 ? Future.failedFuture(new NotFound("saved view " + name)) : database.durable());
  }

  private static String key(String user, String name) {
    return user + "\n" + name;
  }
}
