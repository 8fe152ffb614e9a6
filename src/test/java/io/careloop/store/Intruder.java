package io.careloop.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.concurrent.TimeUnit;

/**
 * Another local process that knows the embedded database's port: it tries to read the users and to make one of them
 * admin, without a password and with a wrong one. Prints one line per attempt ("read: ok …" or "read: refused …").
 * Run by {@link EmbeddedDatabaseAccessTest} in its own JVM, as an attacker on the same machine would be.
 */
public final class Intruder {
  public static void main(String[] args) throws Exception {
    String hostPort = args[0];
    Vertx vertx = Vertx.vertx();
    try {
      attempt(vertx, "anonymous", "mongodb://" + hostPort + "/?serverSelectionTimeoutMS=3000");
      attempt(vertx, "wrong-password", "mongodb://careloop:not-the-password@" + hostPort
        + "/?authMechanism=SCRAM-SHA-256&authSource=admin&serverSelectionTimeoutMS=3000");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.out.println("done");
  }

  private static void attempt(Vertx vertx, String who, String uri) {
    MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "careloop"));
    try {
      try {
        var users = mongo.find("users", new JsonObject()).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        System.out.println(who + " read: ok " + users.size() + " users " + users.stream().map(u -> u.getString("passwordHash", "")).toList());
      } catch (Exception e) {
        System.out.println(who + " read: refused " + rootMessage(e));
      }
      try {
        var r = mongo.updateCollection("users", new JsonObject().put("_id", "mallory"),
          new JsonObject().put("$set", new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("admin"))))
          .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        System.out.println(who + " write: ok matched " + r.getDocMatched());
      } catch (Exception e) {
        System.out.println(who + " write: refused " + rootMessage(e));
      }
    } finally {
      mongo.close();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return (t.getClass().getSimpleName() + ": " + t.getMessage()).replace('\n', ' ');
  }
}
