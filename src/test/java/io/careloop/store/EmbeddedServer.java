package io.careloop.store;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mongo-java-server read and written through the official driver: on a data folder's H2 file (the same backend
 * CareLoop serves, without the password), or in memory. How a test writes documents CareLoop's client cannot spell, and
 * a fresh instance for an import to fill. Closing commits and releases the file, so CareLoop may start on it.
 */
public final class EmbeddedServer implements AutoCloseable {
  private final CrashSafeH2Backend backend;
  private final MongoServer server;
  private final MongoClient client;

  private EmbeddedServer(CrashSafeH2Backend backend, MongoServer server) {
    this.backend = backend;
    this.server = server;
    server.bind("127.0.0.1", 0);
    client = MongoClients.create(uri());
  }

  /** On the H2 file of {@code dataDir} (made if missing). */
  public static EmbeddedServer open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CrashSafeH2Backend backend = CrashSafeH2Backend.open(dataDir.resolve(Backups.FILE).toString());
    return new EmbeddedServer(backend, new MongoServer(backend));
  }

  /** Empty, in memory. */
  public static EmbeddedServer inMemory() {
    return new EmbeddedServer(null, new MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend()));
  }

  public long count(String db, String collection) {
    return Published.first(database(db).getCollection(collection).countDocuments());
  }

  public String uri() { return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort(); }

  public MongoDatabase database(String name) { return client.getDatabase(name); }

  /** The collections of {@code db} but the server's own, sorted. */
  public List<String> collections(String db) {
    return Published.all(database(db).listCollectionNames()).stream().filter(n -> !n.startsWith("system.")).sorted().toList();
  }

  /** Every document of a collection by {@code _id}, in natural order, with its BSON types as stored. */
  public Map<BsonValue, BsonDocument> documents(String db, String collection) {
    Map<BsonValue, BsonDocument> byId = new LinkedHashMap<>();
    Published.forEach(database(db).getCollection(collection, BsonDocument.class).find(), 1_000, d -> byId.put(d.get("_id"), d));
    return byId;
  }

  public void insert(String db, String collection, List<BsonDocument> docs) {
    Published.all(database(db).getCollection(collection, BsonDocument.class).insertMany(docs));
  }

  /** The indexes of a collection as the server lists them. */
  public List<BsonDocument> indexes(String db, String collection) {
    return Published.all(database(db).getCollection(collection).listIndexes(BsonDocument.class));
  }

  @Override
  public void close() {
    client.close();
    try {
      if (backend != null) backend.commit();
    } finally {
      server.shutdown();
    }
  }
}
