package io.careloop.store;

import de.bwaldvogel.mongo.MongoServer;
import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MongoDB behind CareLoop: a real one from {@code CARELOOP_MONGO_URI}, or the embedded wire-protocol server
 * (mongo-java-server with its H2 file backend) under the data directory.
 *
 * <p>The embedded server acknowledges a write before its H2 store is committed, so a {@code kill -9} could lose
 * acknowledged writes (and H2's own commits could persist half a write: see {@link CrashSafeH2Backend}). {@link #durable()} closes that gap with a
 * group commit: callers that must not lose a write (a stored mention before its checkpoint moves, a reply intent
 * before the post) wait for it. The commit ends with the file forced to the disk, so what it covers survives a power
 * cut, not only a killed process; one force serves every caller of the group. Against a real MongoDB it is a no-op:
 * the write concern (journaled on the server) already covers it.
 */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  static final long SERVER_SELECTION_MS = 5_000;
  /** The one user of the embedded server. */
  public static final String EMBEDDED_USER = "careloop";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final MongoServer embeddedServer;
  private final CrashSafeH2Backend embeddedBackend;
  private long periodicCommit = -1;
  private final String description;
  private String name;

  // Group commit state; callers may sit on different event loops, so it is guarded by this.
  private Promise<Void> running;
  private Promise<Void> queued;

  private Database(Vertx vertx, MongoClient mongo, MongoServer server, CrashSafeH2Backend backend, String description) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.embeddedServer = server;
    this.embeddedBackend = backend;
    this.description = description;
  }

  public static Future<Database> open(Vertx vertx, Settings settings) {
    return open(vertx, settings, "");
  }

  /**
   * {@code fileSystem} is an H2 file-system prefix for the embedded store ("" for the plain file); the power-cut test
   * passes one whose writes are lost unless forced.
   */
  static Future<Database> open(Vertx vertx, Settings settings, String fileSystem) {
    return vertx.executeBlocking(() -> {
      if (!settings.mongo().embedded()) {
        JsonObject config = new JsonObject()
          .put("connection_string", settings.mongo().uri())
          .put("db_name", settings.mongo().database());
        // The driver waits 30 s for a server by default: a request would hang that long in an outage. Five seconds
        // rides out a replica-set election; the connection string can say otherwise.
        if (!settings.mongo().uri().contains("serverSelectionTimeoutMS")) config.put("serverSelectionTimeoutMS", SERVER_SELECTION_MS);
        MongoClient client = MongoClient.create(vertx, config);
        return new Database(vertx, client, null, null, "MongoDB at " + redact(settings.mongo().uri()));
      }
      Files.createDirectories(settings.dataDir());
      ownerOnly(settings.dataDir());
      Path file = settings.dataDir().resolve("careloop.mv.db").toAbsolutePath();
      CrashSafeH2Backend backend = CrashSafeH2Backend.open(fileSystem + file);
      // The embedded server has no authentication of its own: every connection must first pass SCRAM-SHA-256 with a
      // password only this process knows (or, when served to other nodes, the operator's), so no other local process
      // can read the users' hashes or make itself admin through the port.
      Settings.ClusterSettings cluster = settings.cluster();
      String serve = cluster.serveDatabase();
      String password = serve == null ? randomPassword() : cluster.serveDatabasePassword();
      MongoServer server = new MongoServer(new ScramGate(backend, EMBEDDED_USER, password));
      if (serve == null) {
        server.bind("127.0.0.1", 0);
      } else {
        int colon = serve.lastIndexOf(':');
        server.bind(serve.substring(0, colon), Integer.parseInt(serve.substring(colon + 1)));
        log.info("Serving the embedded database to other nodes at {} (user {}, SCRAM-SHA-256, not encrypted): "
          + "CARELOOP_MONGO_URI=mongodb://{}:<CARELOOP_SERVE_DATABASE_PASSWORD>@{}/?authMechanism={}&authSource=admin",
          serve, EMBEDDED_USER, EMBEDDED_USER, serve, ScramGate.MECHANISM);
      }
      InetSocketAddress address = server.getLocalAddress();
      String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
      String uri = "mongodb://" + EMBEDDED_USER + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + host + ":" + address.getPort()
        + "/?authMechanism=" + ScramGate.MECHANISM + "&authSource=admin";
      MongoClient client = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", uri)
        .put("db_name", settings.mongo().database()));
      Database db = new Database(vertx, client, server, backend, "embedded MongoDB (H2 file " + file + ")");
      db.name = settings.mongo().database();
      return db;
    })
      .onSuccess(Database::commitEverySecond)
      .onSuccess(db -> log.info("Database ready: {}", db.description));
  }

  public MongoClient mongo() { return mongo; }

  public boolean embedded() { return embeddedServer != null; }

  /** Where the embedded server listens (for tests that knock on its door), or null with a real MongoDB. */
  public InetSocketAddress embeddedAddress() { return embeddedServer == null ? null : embeddedServer.getLocalAddress(); }

  /**
   * The H2 file holds the users' password hashes: a folder other users can enter would hand them the file past the
   * server's password. Where the file system has POSIX permissions, the data folder is made the service user's alone.
   */
  private static void ownerOnly(Path dir) throws java.io.IOException {
    if (!Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) return;
    var wanted = java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
    if (!Files.getPosixFilePermissions(dir).equals(wanted)) {
      Files.setPosixFilePermissions(dir, wanted);
      log.info("Data folder {} made readable by its owner only (it holds the users' password hashes)", dir.toAbsolutePath());
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public String description() { return description; }

  /** Completes once every write acknowledged before this call is on disk: written and forced. */
  public synchronized Future<Void> durable() {
    if (embeddedBackend == null) return Future.succeededFuture();
    if (running == null) {
      running = Promise.promise();
      Future<Void> f = running.future();
      commitNow();
      return f;
    }
    // A commit is under way but may have started before the caller's write: wait for the next one.
    if (queued == null) queued = Promise.promise();
    return queued.future();
  }

  private void commitNow() {
    Promise<Void> current = running;
    vertx.executeBlocking(() -> {
      embeddedBackend.commit();
      return null;
    }, false).onComplete(ar -> {
      Promise<Void> next;
      synchronized (this) {
        next = queued;
        queued = null;
        running = next;
        if (next != null) commitNow();
      }
      if (ar.succeeded()) current.complete(); else current.fail(ar.cause());
    });
  }

  /** The store never commits on its own: everything not made durable explicitly reaches disk within a second. */
  private void commitEverySecond() {
    if (embeddedBackend != null) periodicCommit = vertx.setPeriodic(1_000, t -> durable());
  }

  /**
   * A verified backup of the embedded database at {@code target} (see {@link Backups}); acknowledged writes wait
   * while the file is copied, commands do not. A real MongoDB is backed up with its own tools (mongodump, snapshots).
   */
  public Future<Backups.Backup> backup(Path target) {
    if (embeddedBackend == null) {
      return Future.failedFuture(new IllegalStateException("CareLoop backs up its embedded database only; back up a real MongoDB with mongodump or its snapshots"));
    }
    return vertx.executeBlocking(() -> embeddedBackend.snapshot(target, name), false);
  }

  /** Readiness: a round trip to the database. */
  public Future<Void> ping() {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  public Future<Void> close() {
    if (periodicCommit >= 0) vertx.cancelTimer(periodicCommit);
    return vertx.executeBlocking(() -> {
      mongo.close();
      if (embeddedServer != null) {
        // A commit that fails (a full or failing disk) still lets the server go, so the port and file are released.
        try {
          embeddedBackend.commit();
        } finally {
          embeddedServer.shutdown();
        }
      }
      return null;
    });
  }

  private static String redact(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }
}
