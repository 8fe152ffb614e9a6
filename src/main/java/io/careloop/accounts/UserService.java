package io.careloop.accounts;

import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.errors.Unauthenticated;
import io.careloop.errors.Ineligible;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Staff accounts: created by admins, passwords as Argon2id hashes, the first admin made at first start. */
public final class UserService {
  public static final String USERS = "users";
  private static final Logger log = LoggerFactory.getLogger(UserService.class);

  /** A signed-in staff member. */
  public record User(String username, Set<Role> roles) {
    public boolean has(Role role) { return roles.contains(Role.ADMIN) || roles.contains(role); }

    public JsonArray rolesJson() { return new JsonArray(roles.stream().map(Role::wire).toList()); }
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Database database;
  private final PasswordHasher hasher;
  private final Clock clock;
  /** Verified against when the user does not exist, so a login takes as long for unknown names. */
  private volatile String decoyHash;
  /**
   * Accounts as read in the last second, so that a busy console does not read its user on every request. A change
   * to an account drops it here (and on every other node, through {@link #CHANGED}) before the change returns; the
   * second bounds how long a node that missed the event can trust its copy.
   */
  private final Map<String, Seen> recent = new ConcurrentHashMap<>();
  /** Bumped by every change, so a read that raced a change is not kept. */
  private final AtomicLong changes = new AtomicLong();

  /** Event-bus address: an account changed (its roles, password, disabled flag or sessions). */
  public static final String CHANGED = "careloop.accounts.user-changed";
  static final long FRESH_NANOS = 1_000_000_000L;

  private record Seen(JsonObject doc, long atNanos) {}

  public UserService(Vertx vertx, Database database, PasswordHasher hasher, Clock clock) {
    this.vertx = vertx;
    this.mongo = database.mongo();
    this.database = database;
    this.hasher = hasher;
    this.clock = clock;
    vertx.eventBus().<String>consumer(CHANGED, m -> forget(m.body()));
  }

  private void forget(String username) {
    changes.incrementAndGet();
    recent.remove(username);
  }

  /** Drops the cached account here and tells the other nodes to; called before a change is reported done. */
  private void changed(String username) {
    forget(username);
    vertx.eventBus().publish(CHANGED, username);
  }

  private Future<JsonObject> account(String username) {
    Seen seen = recent.get(username);
    long now = System.nanoTime();
    if (seen != null && now - seen.atNanos() < FRESH_NANOS) return Future.succeededFuture(seen.doc());
    long before = changes.get();
    return mongo.findOne(USERS, new JsonObject().put("_id", username),
        new JsonObject().put("roles", 1).put("disabled", 1).put("epoch", 1).put("username", 1))
      .onSuccess(doc -> {
        if (doc != null && changes.get() == before) recent.put(username, new Seen(doc, now));
      });
  }

  /** Made on first use, on a worker thread: an Argon2 hash takes a few hundred ms, far too long for an event loop. */
  private String decoyHash() {
    String h = decoyHash;
    if (h == null) decoyHash = h = hasher.hash("decoy-password-never-used");
    return h;
  }

  public Future<User> authenticate(String username, String password) {
    return find(username).compose(doc ->
      vertx.executeBlocking(() -> {
        String hash = doc == null ? decoyHash() : doc.getString("passwordHash");
        boolean ok = hasher.matches(password, hash);
        if (!ok || doc == null || doc.getBoolean("disabled", false)) throw new Unauthenticated("wrong user name or password");
        // The password is at hand only now: upgrade a hash made with older parameters.
        return hasher.needsRehash(hash) ? hasher.hash(password) : null;
      }, false).compose(newHash -> newHash == null ? Future.succeededFuture(toUser(doc))
        : mongo.updateCollection(USERS, new JsonObject().put("_id", doc.getString("_id")), new JsonObject().put("$set",
            new JsonObject().put("passwordHash", newHash))).map(r -> toUser(doc))));
  }

  /**
   * User names are case-insensitive: {@code _id} keeps the name as it was created (what the console shows and sessions
   * carry), {@code username} holds it folded to lower case, and the unique index on {@code username} makes "ADMIN"
   * and "admin" one name. The contract allows only ASCII letters, digits and {@code . _ -}, so lower case is an exact
   * fold.
   */
  static String folded(String username) { return username.toLowerCase(Locale.ROOT); }

  /**
   * The account a typed name means: the exact stored spelling first, else the folded name. The exact match comes
   * first for two accounts from before names were folded that differ only in case: each keeps signing in as spelt
   * (see {@link #foldStoredNames}).
   */
  private Future<JsonObject> find(String username) {
    return mongo.find(USERS, new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("_id", username))
        .add(new JsonObject().put("username", folded(username)))))
      .map(docs -> docs.stream().filter(d -> username.equals(d.getString("_id"))).findFirst()
        .orElse(docs.isEmpty() ? null : docs.get(0)));
  }

  /**
   * Folds the {@code username} of accounts stored before names were case-insensitive (it held the name as typed), so
   * "Alice" now signs in as alice or ALICE too. When stored accounts differ only in case, one holds the folded name:
   * the one already spelt in lower case, else the oldest. It is reached by every spelling but the others' exact ones;
   * each other keeps signing in as spelt, and a warning at every start names them so an admin disables one (creating
   * any further spelling is refused). Oldest first, idempotent and conditional, so nodes starting together agree.
   */
  /** One account per name, enforced by the database (two admins creating the same user at once get one). */
  public Future<Void> createIndexes() {
    return createIndexes(mongo);
  }

  /** The same on any database CareLoop will run on (the import command prepares one with it). */
  public static Future<Void> createIndexes(MongoClient mongo) {
    return mongo.createIndexWithOptions(USERS, new JsonObject().put("username", 1), new IndexOptions().name("username").unique(true));
  }

  public Future<Void> foldStoredNames() {
    return mongo.find(USERS, new JsonObject()).compose(docs -> {
      List<JsonObject> oldestFirst = docs.stream()
        .sorted(java.util.Comparator.comparing((JsonObject d) -> d.getValue("createdAt") == null ? java.time.Instant.EPOCH : Dates.instant(d.getValue("createdAt")))
          .thenComparing(d -> d.getString("_id")))
        .toList();
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject doc : oldestFirst) {
        String id = doc.getString("_id");
        String stored = doc.getString("username");
        if (folded(id).equals(stored)) continue;
        chain = chain.compose(v -> mongo.updateCollection(USERS, new JsonObject().put("_id", id).put("username", stored),
            new JsonObject().put("$set", new JsonObject().put("username", folded(id))))
          .<Void>mapEmpty()
          .recover(e -> {
            if (!MongoErrors.isDuplicateKey(e)) return Future.failedFuture(e);
            String holder = oldestFirst.stream().map(d -> d.getString("_id")).filter(other -> !other.equals(id) && folded(other).equals(folded(id)))
              .findFirst().orElse("another account");
            log.warn("Users '{}' and '{}' differ only in case: '{}' signs in only as spelt, every other spelling reaches '{}'. Disable one of them.",
              holder, id, id, holder);
            return Future.succeededFuture();
          }));
      }
      return chain;
    }).compose(v -> database.durable());
  }

  public Future<User> create(String username, String password, List<String> roles) {
    Optional<Invalid> weak = weakness(password, username);
    if (weak.isPresent()) return Future.failedFuture(weak.get());
    Set<Role> parsed = new LinkedHashSet<>();
    for (String r : roles) parsed.add(Role.fromWire(r));
    return vertx.executeBlocking(() -> hasher.hash(password), false).compose(hash -> mongo.insert(USERS, new JsonObject()
        .put("_id", username).put("username", folded(username)).put("passwordHash", hash)
        .put("roles", new JsonArray(parsed.stream().map(Role::wire).toList()))
        .put("disabled", false).put("epoch", 0).put("createdAt", Dates.bson(clock.instant())))
      .recover(e -> Future.failedFuture(MongoErrors.isDuplicateKey(e)
        ? new Conflict("user-exists", "a user named " + username + " exists (user names ignore case)") : e)))
      .compose(id -> database.durable())
      .map(v -> new User(username, parsed));
  }

  /**
   * The signed-in user as of now, or empty when the account is gone, disabled, or its sessions were ended (the
   * session's epoch is older than the account's: password changed, roles changed, disabled).
   */
  public Future<Optional<User>> current(String username, long sessionEpoch) {
    return account(username).map(doc -> {
      if (doc == null || doc.getBoolean("disabled", false) || doc.getLong("epoch", 0L) != sessionEpoch) return Optional.empty();
      return Optional.of(toUser(doc));
    });
  }

  /** The roles whose holders work the queue (claim, reply): PRODUCT.md section 1; the contract's claim and reply routes. */
  public static final Set<Role> WORK_CASES = Set.of(Role.AGENT, Role.COMMUNITY);

  /**
   * The user a lead may hand a case to: the account exists, is enabled and holds a role that works cases. Otherwise
   * 400 naming the user ({@code unknown-user}, {@code user-disabled}, {@code cannot-work-cases}). Admins and leads
   * without such a role are refused on purpose: the queue would show the case as theirs while nobody works it.
   */
  public Future<User> caseWorker(String username) {
    return find(username)
      .compose(doc -> {
        Map<String, Object> who = Map.of("assignee", username);
        if (doc == null) return Future.failedFuture(new Ineligible("unknown-user", "there is no user " + username, who));
        if (doc.getBoolean("disabled", false)) return Future.failedFuture(new Ineligible("user-disabled", "user " + username + " is disabled", who));
        User user = toUser(doc);
        if (user.roles().stream().noneMatch(WORK_CASES::contains)) {
          return Future.failedFuture(new Ineligible("cannot-work-cases",
            "user " + username + " has no role that works cases (agent or community)", who));
        }
        return Future.succeededFuture(user);
      });
  }

  /**
   * The enabled users a case can be handed to (those {@link #caseWorker} accepts), by name: what a lead picks from.
   * Filtered here rather than in the query, since the account list is small and the embedded server has no indexes.
   */
  public Future<List<User>> enabledCaseWorkers() {
    return caseWorkers().map(workers -> workers.stream().map(CaseWorker::user).toList());
  }

  /** An enabled user who works cases, and whether they said they are available for auto-assigned cases. */
  public record CaseWorker(User user, boolean available) {}

  /** The order of the roster (and of auto-assignment's turns): by name, ignoring case, as the agents list shows it. */
  public static final java.util.Comparator<String> ROSTER_ORDER = String.CASE_INSENSITIVE_ORDER.thenComparing(java.util.Comparator.naturalOrder());

  /** {@link #enabledCaseWorkers} with each one's availability mark. */
  public Future<List<CaseWorker>> caseWorkers() {
    return mongo.find(USERS, new JsonObject()).map(docs -> docs.stream()
      .filter(d -> !d.getBoolean("disabled", false))
      .map(d -> new CaseWorker(toUser(d), d.getBoolean("available", false)))
      .filter(w -> worksCases(w.user()))
      .sorted(java.util.Comparator.comparing((CaseWorker w) -> w.user().username(), ROSTER_ORDER))
      .toList());
  }

  /** The names of the enabled case workers who are marked available, in {@link #ROSTER_ORDER}: auto-assignment's rotation. */
  public Future<List<String>> availableCaseWorkers() {
    return caseWorkers().map(workers -> workers.stream().filter(CaseWorker::available).map(w -> w.user().username()).toList());
  }

  private static boolean worksCases(User user) {
    return user.roles().stream().anyMatch(WORK_CASES::contains);
  }

  /** Whether a user is available for auto-assigned cases, and since when that mark was set (null when never). */
  public record Availability(String username, boolean available, java.time.Instant changedAt) {}

  /** An availability mark as it was and as it is now. */
  public record AvailabilityChange(Availability before, Availability after) {}

  /**
   * The user's availability as auto-assignment sees it: the stored mark, and only while the account is enabled and
   * holds a role that works cases (a disabled user, or one who lost the role, is never available).
   */
  public Future<Availability> availability(String username) {
    return mongo.findOne(USERS, new JsonObject().put("_id", username), new JsonObject()
        .put("roles", 1).put("disabled", 1).put("available", 1).put("availabilityChangedAt", 1))
      .compose(doc -> doc == null ? Future.failedFuture(new NotFound("user " + username)) : Future.succeededFuture(availabilityOf(doc)));
  }

  private static Availability availabilityOf(JsonObject doc) {
    boolean can = !doc.getBoolean("disabled", false) && worksCases(toUser(doc));
    Object at = doc.getValue("availabilityChangedAt");
    return new Availability(doc.getString("_id"), can && doc.getBoolean("available", false), at == null ? null : Dates.instant(at));
  }

  /**
   * Marks the user available (or away) for auto-assigned cases, kept with the user so it holds on every node and
   * after a restart. Marking oneself available needs what a lead's assignment needs ({@link #caseWorker}: 422
   * otherwise); marking away is always allowed. Completes with the availability before and after, for the audit.
   */
  public Future<AvailabilityChange> setAvailability(String username, boolean available) {
    return availability(username).compose(before -> (available ? caseWorker(username) : Future.succeededFuture((User) null))
      .compose(ok -> {
        java.time.Instant now = clock.instant();
        return mongo.updateCollection(USERS, new JsonObject().put("_id", username), new JsonObject().put("$set",
            new JsonObject().put("available", available).put("availabilityChangedAt", Dates.bson(now))))
          .compose(r -> database.durable())
          .map(v -> new AvailabilityChange(before, new Availability(username, available, now)));
      }));
  }

  /**
   * The user's own console settings ({@code {"singleKeyShortcuts": true}}): what they chose for themselves, kept
   * with the user so it follows them to any browser. Missing fields read as the defaults.
   */
  public Future<JsonObject> preferences(String username) {
    return mongo.findOne(USERS, new JsonObject().put("_id", username), new JsonObject().put("preferences", 1))
      .map(d -> withDefaults(d == null ? null : d.getJsonObject("preferences")));
  }

  /** Merges {@code changes} (validated by the contract) into the user's preferences; answers them all. */
  public Future<JsonObject> setPreferences(String username, JsonObject changes) {
    JsonObject set = new JsonObject();
    changes.forEach(e -> set.put("preferences." + e.getKey(), e.getValue()));
    return mongo.updateCollection(USERS, new JsonObject().put("_id", username), new JsonObject().put("$set", set))
      .compose(r -> preferences(username));
  }

  private static JsonObject withDefaults(JsonObject stored) {
    return new JsonObject().put("singleKeyShortcuts", true).mergeIn(stored == null ? new JsonObject() : stored);
  }

  public Future<Long> epoch(String username) {
    return mongo.findOne(USERS, new JsonObject().put("_id", username), null).map(d -> d == null ? 0L : d.getLong("epoch", 0L));
  }

  /** Changes roles and/or the disabled flag; ends the user's sessions; the last enabled admin cannot be removed. */
  public Future<JsonObject> update(String username, List<String> roles, Boolean disabled) {
    return find(username).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound("user " + username));
      String id = doc.getString("_id");
      JsonArray newRoles = roles == null ? doc.getJsonArray("roles") : new JsonArray(roles.stream().map(r -> Role.fromWire(r).wire()).distinct().toList());
      boolean newDisabled = disabled == null ? doc.getBoolean("disabled", false) : disabled;
      boolean wasActiveAdmin = doc.getJsonArray("roles").contains("admin") && !doc.getBoolean("disabled", false);
      boolean staysActiveAdmin = newRoles.contains("admin") && !newDisabled;
      Future<Void> guard = wasActiveAdmin && !staysActiveAdmin
        ? mongo.count(USERS, new JsonObject().put("roles", "admin").put("disabled", false).put("_id", new JsonObject().put("$ne", id)))
          .compose(others -> others > 0 ? Future.succeededFuture() : Future.failedFuture(new Conflict("last-admin", "the last admin cannot be disabled or lose the admin role")))
        : Future.succeededFuture();
      JsonObject set = new JsonObject().put("roles", newRoles).put("disabled", newDisabled);
      // Disabled, or no longer working cases: the availability mark goes too, so re-enabling someone (or giving the
      // role back) does not silently put them back in auto-assignment's rotation; they mark themselves again.
      boolean canWork = !newDisabled && newRoles.stream().map(r -> Role.fromWire(String.valueOf(r))).anyMatch(WORK_CASES::contains);
      if (!canWork && doc.getBoolean("available", false)) set.put("available", false).put("availabilityChangedAt", Dates.bson(clock.instant()));
      return guard.compose(v -> mongo.updateCollection(USERS, new JsonObject().put("_id", id), new JsonObject()
          .put("$set", set).put("$inc", new JsonObject().put("epoch", 1))))
        .andThen(r -> changed(id))
        .compose(r -> database.durable())
        .map(v -> new JsonObject().put("username", id).put("roles", newRoles).put("disabled", newDisabled));
    });
  }

  /**
   * Sets a new password (an admin's reset, or the user's own change); ends the user's sessions. Completes with the
   * stored spelling of the name.
   */
  public Future<String> setPassword(String username, String password) {
    Optional<Invalid> weak = weakness(password, username);
    if (weak.isPresent()) return Future.failedFuture(weak.get());
    return find(username).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound("user " + username));
      String id = doc.getString("_id");
      return vertx.executeBlocking(() -> hasher.hash(password), false)
        .compose(hash -> mongo.updateCollection(USERS, new JsonObject().put("_id", id),
          new JsonObject().put("$set", new JsonObject().put("passwordHash", hash)).put("$inc", new JsonObject().put("epoch", 1))))
        .andThen(r -> changed(id))
        .compose(r -> r.getDocMatched() == 0 ? Future.failedFuture(new NotFound("user " + username)) : database.durable())
        .map(v -> id);
    });
  }

  /** Too short, one of the common passwords, mostly the user name, or nearly one repeated character. */
  static Optional<Invalid> weakness(String password, String username) {
    if (password.length() < PasswordHasher.MIN_LENGTH) {
      return Optional.of(new Invalid("weak-password", "password must have at least " + PasswordHasher.MIN_LENGTH + " characters"));
    }
    String lower = password.toLowerCase(java.util.Locale.ROOT);
    String name = username.toLowerCase(java.util.Locale.ROOT);
    // Mostly the user name ("alice2024!!") or hardly any different characters ("aaaaaaaaaaab") is as good as none.
    String rest = lower.replace(name, "");
    boolean mostlyName = name.length() >= 3 && lower.contains(name) && (rest.length() < 6 || rest.matches("[\\d\\W_]*"));
    if (COMMON.contains(lower) || mostlyName || lower.chars().distinct().count() < 4) {
      return Optional.of(new Invalid("weak-password", "this password is too common or too easy to guess"));
    }
    return Optional.empty();
  }

  private static final java.util.Set<String> COMMON = loadCommon();

  private static java.util.Set<String> loadCommon() {
    try (var in = UserService.class.getResourceAsStream("/accounts/common-passwords.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(java.util.stream.Collectors.toUnmodifiableSet());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("common password list missing from the jar", e);
    }
  }

  public Future<List<JsonObject>> list() {
    return mongo.find(USERS, new JsonObject()).map(list -> list.stream()
      .map(d -> new JsonObject().put("username", d.getString("_id")).put("roles", d.getJsonArray("roles"))
        .put("disabled", d.getBoolean("disabled", false)).put("createdAt", Dates.instant(d.getValue("createdAt")).toString()))
      .toList());
  }

  /**
   * Creates user {@code admin} when there are no users: with the given password, or a generated one printed once
   * to the console (never to the log file of a later start, since it happens only once).
   */
  public Future<Void> ensureFirstAdmin(String configuredPassword) {
    return mongo.count(USERS, new JsonObject()).compose(n -> {
      if (n > 0) return Future.succeededFuture();
      boolean generated = configuredPassword == null;
      String password = generated ? generatePassword() : configuredPassword;
      return create("admin", password, List.of("admin")).onSuccess(u -> {
        if (generated) {
          System.out.println("\n=== CareLoop first start: user 'admin', one-time password: " + password + " ===\n");
        } else {
          log.info("First admin 'admin' created with the password from CARELOOP_ADMIN_PASSWORD");
        }
      }).<Void>mapEmpty()
        // Nodes started together on an empty database all count no user; the one whose insert lands makes the first
        // admin and the others find it there (the name is the key): that is the wanted outcome, not a failed start.
        .recover(e -> e instanceof Conflict ? succeededAfterOtherNode() : Future.failedFuture(e));
    });
  }

  private static Future<Void> succeededAfterOtherNode() {
    log.info("The first admin was created at the same moment by another node; this one uses it");
    return Future.succeededFuture();
  }

  private static User toUser(JsonObject doc) {
    Set<Role> roles = new LinkedHashSet<>();
    doc.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add(Role.fromWire(String.valueOf(r))));
    return new User(doc.getString("_id"), Set.copyOf(roles));
  }

  private static String generatePassword() {
    byte[] bytes = new byte[15];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }


}
