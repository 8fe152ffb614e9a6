package io.careloop.reply;

import io.careloop.queue.Case;
import io.careloop.errors.NotFound;
import io.careloop.errors.Invalid;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Canned responses: plain text with the variables {@code {{customer.handle}}}, {@code {{customer.name}}},
 * {@code {{agent.name}}}, {@code {{kb.url}}} and nothing else ({@link ClosedTemplate}, not Handlebars: any community
 * manager writes these and any agent renders them, so they must not be a programming language). A template outside
 * the language is refused at save, and one stored before the language was closed is refused at render, not run.
 * The result is a post, not HTML, so nothing is HTML-escaped; values (a customer's name) are inserted as text and
 * never evaluated.
 */
public final class CannedResponses {
  public static final String COLLECTION = "canned";

  private final MongoClient mongo;
  private final Database database;
  private final Clock clock;
  /** What a canned response may use besides plain text. */
  public static final Set<String> VARIABLES = Set.of("customer.handle", "customer.name", "agent.name", "kb.url");

  public CannedResponses(Database database, Clock clock) {
    this.mongo = database.mongo();
    this.database = database;
    this.clock = clock;
  }

  public Future<List<JsonObject>> list() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("title", 1)))
      .map(l -> l.stream().map(CannedResponses::view).toList());
  }

  /** Creates or replaces one; the template must be in the closed language (400 {@code invalid-template} otherwise). */
  public Future<JsonObject> save(String id, String title, String body, String author) {
    try {
      compile(body);
    } catch (Invalid p) {
      return Future.failedFuture(p);
    }
    JsonObject doc = new JsonObject().put("title", title).put("body", body).put("updatedBy", author).put("updatedAt", Dates.bson(clock.instant()));
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", id), new JsonObject().put("$set", doc), new UpdateOptions().setUpsert(true))
      .compose(r -> database.durable())
      .map(v -> view(doc.copy().put("_id", id)));
  }

  /** Fills the template for this case and agent. */
  public Future<String> render(String id, Case.Customer customer, String agent, String kbUrl) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound("canned response " + id));
      Map<String, String> values = Map.of(
        "customer.handle", "@" + Objects.toString(customer.handle(), ""), "customer.name", Objects.toString(customer.name(), ""),
        "agent.name", agent, "kb.url", kbUrl == null ? "" : kbUrl);
      // Parsing and substitution are linear in a template of at most ClosedTemplate.MAX_SOURCE characters, with a
      // bounded output: microseconds, so this stays on the event loop. A template saved before the language was
      // closed is parsed here too and refused like at save, never executed.
      try {
        return Future.succeededFuture(compile(doc.getString("body")).render(values));
      } catch (Invalid p) {
        return Future.failedFuture(p);
      }
    });
  }

  private static ClosedTemplate compile(String body) {
    try {
      return ClosedTemplate.parse(body, VARIABLES);
    } catch (ClosedTemplate.Refused e) {
      throw new Invalid("invalid-template", e.getMessage(), e.token() == null ? null : Map.of("token", e.token()), e);
    }
  }

  private static JsonObject view(JsonObject doc) {
    return new JsonObject().put("id", doc.getString("_id")).put("title", doc.getString("title")).put("body", doc.getString("body"))
      .put("updatedBy", doc.getString("updatedBy"));
  }
}
