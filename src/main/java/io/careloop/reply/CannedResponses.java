package io.careloop.reply;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import io.careloop.errors.Problem;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Canned responses with Handlebars variables ({@code {{customer.handle}}}, {@code {{customer.name}}},
 * {@code {{agent.name}}}, {@code {{kb.url}}}). The result is a post, not HTML, so nothing is HTML-escaped; values
 * a customer controls (their name) are inserted as text and never evaluated as a template.
 */
public final class CannedResponses {
  public static final String COLLECTION = "canned";

  private final MongoClient mongo;
  private final Database database;
  private final Clock clock;
  private final Handlebars handlebars = new Handlebars().with(EscapingStrategy.NOOP);

  public CannedResponses(Database database, Clock clock) {
    this.mongo = database.mongo();
    this.database = database;
    this.clock = clock;
  }

  public Future<List<JsonObject>> list() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("title", 1)))
      .map(l -> l.stream().map(CannedResponses::view).toList());
  }

  /** Creates or replaces one; the template must compile. */
  public Future<JsonObject> save(String id, String title, String body, String author) {
    compile(body);
    JsonObject doc = new JsonObject().put("title", title).put("body", body).put("updatedBy", author).put("updatedAt", Dates.bson(clock.instant()));
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", id), new JsonObject().put("$set", doc), new UpdateOptions().setUpsert(true))
      .compose(r -> database.durable())
      .map(v -> view(doc.copy().put("_id", id)));
  }

  /** Fills the template for this case and agent. */
  public Future<String> render(String id, JsonObject caseDoc, String agent, String kbUrl) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).compose(doc -> {
      if (doc == null) return Future.failedFuture(Problem.notFound("canned response " + id));
      JsonObject customer = caseDoc.getJsonObject("customer", new JsonObject());
      Map<String, Object> context = Map.of(
        "customer", Map.of("handle", "@" + customer.getString("handle", ""), "name", customer.getString("name", "")),
        "agent", Map.of("name", agent),
        "kb", Map.of("url", kbUrl == null ? "" : kbUrl));
      try {
        return Future.succeededFuture(compile(doc.getString("body")).apply(context));
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Template compile(String body) {
    try {
      return handlebars.compileInline(body);
    } catch (IOException | RuntimeException e) {
      throw Problem.invalid("invalid-template", "the template does not compile: " + e.getMessage());
    }
  }

  private static JsonObject view(JsonObject doc) {
    return new JsonObject().put("id", doc.getString("_id")).put("title", doc.getString("title")).put("body", doc.getString("body"))
      .put("updatedBy", doc.getString("updatedBy"));
  }
}
