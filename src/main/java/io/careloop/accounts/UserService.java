package io.careloop.accounts;

import io.careloop.errors.Problem;
import io.careloop.store.Collections;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Staff accounts: created by admins, passwords as Argon2id hashes, the first admin made at first start. */
public final class UserService {
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
  private final String decoyHash;

  public UserService(Vertx vertx, Database database, PasswordHasher hasher, Clock clock) {
    this.vertx = vertx;
    this.mongo = database.mongo();
    this.database = database;
    this.hasher = hasher;
    this.clock = clock;
    this.decoyHash = hasher.hash("decoy-password-never-used");
  }

  public Future<User> authenticate(String username, String password) {
    return mongo.findOne(Collections.USERS, new JsonObject().put("_id", username), null).compose(doc ->
      vertx.executeBlocking(() -> {
        String hash = doc == null ? decoyHash : doc.getString("passwordHash");
        boolean ok = hasher.matches(password, hash);
        if (!ok || doc == null || doc.getBoolean("disabled", false)) throw Problem.unauthenticated("wrong user name or password");
        return toUser(doc);
      }, false));
  }

  public Future<User> create(String username, String password, List<String> roles) {
    if (password.length() < PasswordHasher.MIN_LENGTH) {
      return Future.failedFuture(Problem.invalid("weak-password", "password must have at least " + PasswordHasher.MIN_LENGTH + " characters"));
    }
    Set<Role> parsed = new LinkedHashSet<>();
    for (String r : roles) parsed.add(Role.fromWire(r));
    return vertx.executeBlocking(() -> hasher.hash(password), false).compose(hash -> mongo.insert(Collections.USERS, new JsonObject()
        .put("_id", username).put("username", username).put("passwordHash", hash)
        .put("roles", new JsonArray(parsed.stream().map(Role::wire).toList()))
        .put("disabled", false).put("createdAt", Dates.bson(clock.instant())))
      .recover(e -> Future.failedFuture(MongoErrors.isDuplicateKey(e) ? Problem.conflict("user-exists", "user " + username + " exists") : e)))
      .compose(id -> database.durable())
      .map(v -> new User(username, parsed));
  }

  public Future<List<JsonObject>> list() {
    return mongo.find(Collections.USERS, new JsonObject()).map(list -> list.stream()
      .map(d -> new JsonObject().put("username", d.getString("_id")).put("roles", d.getJsonArray("roles"))
        .put("disabled", d.getBoolean("disabled", false)).put("createdAt", Dates.instant(d.getValue("createdAt")).toString()))
      .toList());
  }

  /**
   * Creates user {@code admin} when there are no users: with the given password, or a generated one printed once
   * to the console (never to the log file of a later start, since it happens only once).
   */
  public Future<Void> ensureFirstAdmin(String configuredPassword) {
    return mongo.count(Collections.USERS, new JsonObject()).compose(n -> {
      if (n > 0) return Future.succeededFuture();
      boolean generated = configuredPassword == null;
      String password = generated ? generatePassword() : configuredPassword;
      return create("admin", password, List.of("admin")).onSuccess(u -> {
        if (generated) {
          System.out.println("\n=== CareLoop first start: user 'admin', one-time password: " + password + " ===\n");
        } else {
          log.info("First admin 'admin' created with the password from CARELOOP_ADMIN_PASSWORD");
        }
      }).mapEmpty();
    });
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
