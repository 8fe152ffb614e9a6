package io.careloop.brands;

import io.careloop.audit.AuditLog;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The brands CareLoop answers for, stored in {@code brands} (id: the handle in lower case, as X compares handles).
 * The configured brand is stored at the first start when there is none; admins add more in the console. Every brand
 * is kept in memory too: each post read is checked against all of them (a brand's own posts are not queued).
 */
public final class BrandService {
  public static final String COLLECTION = "brands";
  private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_]{1,15}");
  private static final Pattern USER_ID = Pattern.compile("[0-9]{1,19}");

  public record Brand(String handle, String userId, String name) {
    public String id() {
      return handle.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Published after a change, so every node (and this one) reads the brands again. */
  public static final String CHANGED = "careloop.brands.changed";

  private final MongoClient mongo;
  private final EventBus events;
  private final AuditLog audit;
  private final Clock clock;
  private volatile List<Brand> brands = List.of();

  public BrandService(MongoClient mongo, EventBus events, AuditLog audit, Clock clock) {
    this.mongo = mongo;
    this.events = events;
    this.audit = audit;
    this.clock = clock;
    events.consumer(CHANGED, m -> reload());
  }

  /** Stores {@code first} if no brand is stored yet (the first start), then reads every brand into memory. */
  public Future<List<Brand>> load(Brand first) {
    return mongo.count(COLLECTION, new JsonObject())
      .compose(n -> n > 0 ? Future.succeededFuture() : insert(first).recover(e -> MongoErrors.isDuplicateKey(e) ? Future.succeededFuture() : Future.failedFuture(e)))
      .compose(v -> reload());
  }

  public List<Brand> all() {
    return brands;
  }

  public Optional<Brand> find(String handle) {
    String id = handle == null ? null : handle.replaceFirst("^@", "").toLowerCase(java.util.Locale.ROOT);
    return brands.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** Whether an X account is one of ours: its posts are answers, not mentions to queue. */
  public boolean isOwnAccount(String userId) {
    return userId != null && brands.stream().anyMatch(b -> b.userId().equals(userId));
  }

  /** Adds a brand; 409 when its handle or X account is already one. */
  public Future<Brand> add(String actor, String handle, String userId, String name) {
    String cleanHandle = handle.trim().replaceFirst("^@", "");
    if (!HANDLE.matcher(cleanHandle).matches()) return Future.failedFuture(new Invalid("invalid-handle", "an X handle is 1 to 15 letters, digits or _"));
    if (!USER_ID.matcher(userId.trim()).matches()) return Future.failedFuture(new Invalid("invalid-user-id", "an X user id is a number"));
    Brand brand = new Brand(cleanHandle, userId.trim(), name.trim().isEmpty() ? cleanHandle : name.trim());
    if (find(brand.handle()).isPresent() || isOwnAccount(brand.userId())) return Future.failedFuture(brandExists(brand));
    return insert(brand)
      .recover(e -> Future.failedFuture(MongoErrors.isDuplicateKey(e) ? brandExists(brand) : e))
      .compose(v -> reload())
      .andThen(ar -> events.publish(CHANGED, brand.handle()))
      .compose(v -> audit.record(actor, "brand.added", brand.handle(), null, view(brand)))
      .map(brand);
  }

  /** Renames a brand (its display name; the handle and account are what X knows it by). */
  public Future<Brand> rename(String actor, String handle, String name) {
    Brand before = find(handle).orElse(null);
    if (before == null) return Future.failedFuture(new NotFound("brand " + handle));
    Brand after = new Brand(before.handle(), before.userId(), name.trim());
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", before.id()),
        new JsonObject().put("$set", new JsonObject().put("name", after.name()).put("updatedAt", Dates.bson(clock.instant()))))
      .compose(r -> reload())
      .andThen(ar -> events.publish(CHANGED, before.handle()))
      .compose(v -> audit.record(actor, "brand.renamed", before.handle(), view(before), view(after)))
      .map(after);
  }

  public static JsonObject view(Brand b) {
    return new JsonObject().put("handle", b.handle()).put("userId", b.userId()).put("name", b.name());
  }

  private Future<Void> insert(Brand b) {
    return mongo.insert(COLLECTION, view(b).put("_id", b.id()).put("createdAt", Dates.bson(clock.instant()))).mapEmpty();
  }

  private Future<List<Brand>> reload() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("createdAt", 1)))
      .map(docs -> {
        brands = docs.stream().map(d -> new Brand(d.getString("handle"), d.getString("userId"), d.getString("name"))).toList();
        return brands;
      });
  }

  private static Conflict brandExists(Brand b) {
    return new Conflict("brand-exists", "@" + b.handle() + " (or its X account " + b.userId() + ") is already a brand");
  }
}
