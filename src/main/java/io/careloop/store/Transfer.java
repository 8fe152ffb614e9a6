package io.careloop.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStoreException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Export and import of a whole CareLoop database as MongoDB Extended JSON: the way from the embedded database to a
 * real MongoDB (or back, or between two real ones).
 *
 * <p>An export is a folder: one file per collection ({@code <collection>.json}), one document per line in canonical
 * Extended JSON v2 (the form {@code mongoimport} reads, and in which every BSON type is spelt out, so dates, 64-bit
 * integers, decimals, binary and ObjectIds come back as they were), and {@code manifest.json} with the CareLoop
 * version, the time, and per collection the file, its document count, size and SHA-256. Each file is written beside its
 * name, forced to disk and then moved into place; the manifest is written last, so a folder with a manifest is a
 * finished export.
 *
 * <p>The import checks every file against the manifest (count and checksum) and that the target database is empty
 * before it writes anything, and writes through the official driver. Both directions stream: a window of documents
 * at a time, never a whole collection in memory.
 */
public final class Transfer {
  public static final String MANIFEST = "manifest.json";
  static final String FORMAT = "careloop-export/1";
  /** Canonical Extended JSON: every number keeps its BSON type ({@code $numberInt}, {@code $numberLong}, …). */
  static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  /** Documents asked of the driver at a time when reading, and sent in one insert when writing. */
  static final int WINDOW = 1_000;
  /** An insert is also cut at this many bytes of JSON, so large documents do not make a large batch. */
  static final int BATCH_CHARS = 8 << 20;
  /** A progress line every this many documents of a collection. */
  static final int PROGRESS_EVERY = 25_000;
  /** A collection's name as a file name: what MongoDB allows, without anything a path could make use of. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}");

  private Transfer() {}

  /** One collection of an export. */
  public record Entry(String collection, String file, long documents, long bytes, String sha256) {}

  /** What {@code manifest.json} says. */
  public record Manifest(String careloopVersion, Instant exportedAt, String source, String database, List<Entry> collections) {
    public long documents() { return collections.stream().mapToLong(Entry::documents).sum(); }

    JsonObject json() {
      JsonArray list = new JsonArray();
      for (Entry e : collections) {
        list.add(new JsonObject().put("name", e.collection()).put("file", e.file()).put("documents", e.documents())
          .put("bytes", e.bytes()).put("sha256", e.sha256()));
      }
      return new JsonObject().put("format", FORMAT).put("careloopVersion", careloopVersion).put("exportedAt", exportedAt.toString())
        .put("source", source).put("database", database)
        .put("encoding", "MongoDB Extended JSON v2, canonical mode, one document per line (mongoimport reads it)")
        .put("collections", list);
    }

    static Manifest parse(JsonObject json) {
      if (!FORMAT.equals(json.getString("format"))) {
        throw new IllegalArgumentException("the manifest's format is " + json.getValue("format") + ", not " + FORMAT + ": not an export this CareLoop reads");
      }
      List<Entry> entries = new ArrayList<>();
      for (Object o : json.getJsonArray("collections", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        entries.add(new Entry(e.getString("name"), e.getString("file"), e.getLong("documents", -1L), e.getLong("bytes", -1L), e.getString("sha256")));
      }
      return new Manifest(json.getString("careloopVersion"), Instant.parse(json.getString("exportedAt")), json.getString("source"),
        json.getString("database"), List.copyOf(entries));
    }
  }

  /** An export or import done: what the manifest says and how long it took. */
  public record Summary(Manifest manifest, long tookMillis) {}

  // --- connections ------------------------------------------------------------------------------------------------

  /**
   * Where documents are read from and written to: a MongoDB through the official driver, or an embedded database's
   * file, read in this process.
   */
  public static final class Connection implements AutoCloseable {
    private final MongoClient client;
    private final CrashSafeH2Backend backend;
    private final String description;

    private Connection(MongoClient client, CrashSafeH2Backend backend, String description) {
      this.client = client;
      this.backend = backend;
      this.description = description;
    }

    MongoDatabase database(String name) {
      if (client == null) throw new IllegalStateException("an embedded database file is only read from");
      return client.getDatabase(name);
    }

    /** The collections of {@code database} but the server's own {@code system.*}, sorted. */
    List<String> collections(String database) {
      if (backend == null) {
        return Published.all(database(database).listCollectionNames()).stream().filter(n -> !n.startsWith("system.")).sorted().toList();
      }
      // The backend keeps each collection's documents in the H2 map "databases.<db>.<collection>" (as Backups.verify reads them).
      String prefix = "databases." + database + ".";
      var db = backend.resolveDatabase(database);
      return backend.getMvStore().getMapNames().stream().filter(m -> m.startsWith(prefix)).map(m -> m.substring(prefix.length()))
        .filter(n -> !n.startsWith("system.") && db.resolveCollection(n, false) != null).sorted().toList();
    }

    /**
     * Every document of a collection, in storage order, as BSON. From a file, straight from its H2 map through the
     * embedded server's own BSON encoder (the bytes a query would send): the server's query answer would gather the
     * whole collection first (100,000 cases did not fit a 256 MB heap), the map is read a page at a time.
     */
    long forEach(String database, String collection, Consumer<RawBsonDocument> each) {
      if (backend == null) {
        return Published.forEach(database(database).getCollection(collection, RawBsonDocument.class).find().batchSize(WINDOW), WINDOW, each);
      }
      MVMap<Object, Object> map = backend.getMvStore().openMap("databases." + database + "." + collection);
      ByteBuf buffer = Unpooled.buffer(1 << 16);
      long n = 0;
      for (Object stored : map.values()) {
        buffer.clear();
        @SuppressWarnings("unchecked") Map<String, ?> document = (Map<String, ?>) stored;
        BsonEncoder.encodeDocument(document, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        each.accept(new RawBsonDocument(bytes));
        n++;
      }
      return n;
    }

    public String description() { return description; }

    @Override
    public void close() {
      if (client != null) client.close();
      if (backend != null) backend.close();
    }
  }

  /** A MongoDB at {@code uri}; the server is looked for 5 s, not the driver's 30, unless the URI says otherwise. */
  public static Connection connect(String uri) {
    ConnectionString cs;
    try {
      cs = new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a MongoDB connection string: " + e.getMessage(), e);
    }
    MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(cs);
    if (!uri.contains("serverSelectionTimeoutMS")) {
      settings.applyToClusterSettings(b -> b.serverSelectionTimeout(Database.SERVER_SELECTION_MS, TimeUnit.MILLISECONDS));
    }
    return new Connection(MongoClients.create(settings.build()), null, "MongoDB at " + uri.replaceAll("//[^@/]*@", "//***@"));
  }

  /**
   * The embedded database in {@code file} (a data folder's {@code careloop.mv.db}, or a backup), opened read-only in
   * this process: no port is opened, so nothing else reaches it meanwhile. A running CareLoop holds its file locked:
   * then this refuses (its database is exported from a backup of it, which is a state between two commits).
   */
  public static Connection openEmbedded(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no embedded database at " + file.toAbsolutePath() + " (is it the data folder CareLoop ran on?)");
    }
    try {
      return new Connection(null, CrashSafeH2Backend.openReadOnly(file.toString()), "embedded database " + file.toAbsolutePath());
    } catch (MVStoreException e) {
      if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        throw new IllegalStateException("CareLoop is running on " + file.toAbsolutePath().getParent() + ": stop it before exporting, or export a fresh "
          + "backup of it (Administration -> Back up now, then export --backup FILE --to DIR)", e);
      }
      throw new IllegalArgumentException(file + " does not open as a CareLoop database: " + e.getMessage(), e);
    }
  }

  // --- export -----------------------------------------------------------------------------------------------------

  /**
   * Writes every collection of {@code database} (but the server's own {@code system.*}) to {@code to}, which must be
   * missing or empty, then the manifest. Progress goes to {@code progress}.
   */
  public static Summary export(Connection source, String database, Path to, String version, Instant now, PrintStream progress) throws IOException {
    long t0 = System.nanoTime();
    if (Files.exists(to)) {
      if (!Files.isDirectory(to)) throw new IllegalArgumentException(to + " is a file, not a folder");
      try (Stream<Path> inside = Files.list(to)) {
        if (inside.findAny().isPresent()) throw new IllegalArgumentException(to.toAbsolutePath() + " is not empty: export into a new or empty folder");
      }
    }
    Files.createDirectories(to);
    List<String> names = source.collections(database);
    if (names.isEmpty()) throw new IllegalArgumentException(source.description() + " holds no collections in database '" + database + "'");
    progress.println("Exporting " + names.size() + " collections of database '" + database + "' from " + source.description() + " to " + to.toAbsolutePath());
    List<Entry> entries = new ArrayList<>();
    for (String name : names) {
      if (!SAFE_NAME.matcher(name).matches()) throw new IllegalArgumentException("collection '" + name + "' has a name that cannot be a file name");
      entries.add(exportCollection(source, database, name, to, progress));
    }
    Manifest manifest = new Manifest(version, now, source.description(), database, List.copyOf(entries));
    writeAtomically(to.resolve(MANIFEST), out -> out.write(manifest.json().encodePrettily().getBytes(StandardCharsets.UTF_8)));
    forceFolder(to);
    return new Summary(manifest, (System.nanoTime() - t0) / 1_000_000);
  }

  private static Entry exportCollection(Connection source, String database, String name, Path to, PrintStream progress) throws IOException {
    long t0 = System.nanoTime();
    String file = name + ".json";
    long[] documents = {0};
    MessageDigest sha = sha256();
    long bytes = writeAtomically(to.resolve(file), raw -> {
      Writer out = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(raw, sha), StandardCharsets.UTF_8), 1 << 16);
      // In storage order: a sort would gather the whole collection first.
      source.forEach(database, name, doc -> {
        try {
          out.write(doc.toJson(CANONICAL));
          out.write('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (++documents[0] % PROGRESS_EVERY == 0) progress.printf("  %s: %,d documents…%n", name, documents[0]);
      });
      out.flush();
    });
    Entry entry = new Entry(name, file, documents[0], bytes, HexFormat.of().formatHex(sha.digest()));
    progress.printf("  %s: %,d documents, %,d bytes, %d ms%n", name, entry.documents(), bytes, (System.nanoTime() - t0) / 1_000_000);
    return entry;
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code target} beside its name, forces it to disk and moves it into place; returns its size. */
  private static long writeAtomically(Path target, Body body) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(channel);
      try {
        body.write(out);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      out.flush();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return Files.size(target);
  }

  /** The moves into place are entries of the folder: forced too, so they survive a power cut (where the OS allows). */
  private static void forceFolder(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a folder as a channel; its moves are durable once done.
    }
  }

  // --- import -----------------------------------------------------------------------------------------------------

  /**
   * Reads {@code from}'s manifest and checks every file it names: there, as many documents as it says, the same
   * SHA-256. Throws with every problem found; reads the files, writes nothing.
   */
  public static Manifest check(Path from) throws IOException {
    if (!Files.exists(from)) throw new IllegalArgumentException(from.toAbsolutePath() + " does not exist");
    if (!Files.isDirectory(from)) throw new IllegalArgumentException(from.toAbsolutePath() + " is not a folder (give the folder export wrote)");
    Path manifestFile = from.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IllegalArgumentException(from.toAbsolutePath() + " holds no " + MANIFEST + ": not a CareLoop export, or an unfinished one");
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(new JsonObject(Files.readString(manifestFile)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(manifestFile + " is not a CareLoop export's manifest: " + e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    for (Entry e : manifest.collections()) {
      if (e.collection() == null || !SAFE_NAME.matcher(e.collection()).matches() || e.file() == null || !SAFE_NAME.matcher(e.file()).matches()) {
        problems.add("entry " + e.collection() + " / " + e.file() + " is not a collection and file name");
        continue;
      }
      Path file = from.resolve(e.file());
      if (!Files.isRegularFile(file)) {
        problems.add(e.file() + " is missing");
        continue;
      }
      MessageDigest sha = sha256();
      long lines = 0;
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          for (int i = 0; i < n; i++) if (buffer[i] == '\n') lines++;
        }
      }
      String digest = HexFormat.of().formatHex(sha.digest());
      if (!digest.equals(e.sha256())) problems.add(e.file() + " has SHA-256 " + digest + ", the manifest says " + e.sha256());
      if (lines != e.documents()) problems.add(e.file() + " holds " + lines + " documents, the manifest says " + e.documents());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(from.toAbsolutePath() + " does not match its manifest (nothing was imported): " + String.join("; ", problems));
    }
    return manifest;
  }

  /** Throws unless every collection of {@code database} (but {@code system.*}) is missing or holds no document. */
  public static void requireEmpty(Connection target, String database) {
    MongoDatabase db = target.database(database);
    List<String> holding = new ArrayList<>();
    for (String name : Published.all(db.listCollectionNames())) {
      if (name.startsWith("system.")) continue;
      if (Published.first(db.getCollection(name, RawBsonDocument.class).find().limit(1)) != null) holding.add(name);
    }
    if (!holding.isEmpty()) {
      throw new IllegalStateException("database '" + database + "' on " + target.description() + " is not empty (" + String.join(", ", holding.stream().sorted().toList())
        + " hold documents): import only into an empty database; nothing was written");
    }
  }

  /**
   * Inserts every file of a checked export into {@code database}, in batches, in the files' order. The files are
   * hashed again as they are read: a file changed since the check is reported (the import is then not to be trusted).
   */
  public static Summary load(Path from, Manifest manifest, Connection target, String database, PrintStream progress) throws IOException {
    long t0 = System.nanoTime();
    MongoDatabase db = target.database(database);
    progress.println("Importing " + manifest.collections().size() + " collections (" + String.format("%,d", manifest.documents())
      + " documents, exported " + manifest.exportedAt() + " by CareLoop " + manifest.careloopVersion() + ") into database '" + database + "' on " + target.description());
    java.util.Set<String> existing = new java.util.HashSet<>(Published.all(db.listCollectionNames()));
    for (Entry e : manifest.collections()) {
      long c0 = System.nanoTime();
      // An empty collection gets no insert: made here, so the import holds the same collections as the export.
      if (e.documents() == 0 && !existing.contains(e.collection())) Published.all(db.createCollection(e.collection()));
      var collection = db.getCollection(e.collection(), BsonDocument.class);
      MessageDigest sha = sha256();
      long done = 0;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(new DigestInputStream(Files.newInputStream(from.resolve(e.file())), sha),
        StandardCharsets.UTF_8), 1 << 16)) {
        List<BsonDocument> batch = new ArrayList<>(WINDOW);
        long chars = 0;
        long lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
          lineNo++;
          try {
            batch.add(BsonDocument.parse(line));
          } catch (RuntimeException bad) {
            throw new IllegalArgumentException(e.file() + " line " + lineNo + " is not an Extended JSON document: " + bad.getMessage(), bad);
          }
          chars += line.length();
          if (batch.size() == WINDOW || chars >= BATCH_CHARS) {
            done = insert(collection, batch, done, e, progress);
            chars = 0;
          }
        }
        done = insert(collection, batch, done, e, progress);
      }
      String digest = HexFormat.of().formatHex(sha.digest());
      if (!digest.equals(e.sha256())) throw new IllegalStateException(e.file() + " changed while it was imported: drop database '" + database + "' and import again");
      progress.printf("  %s: %,d documents, %d ms%n", e.collection(), done, (System.nanoTime() - c0) / 1_000_000);
    }
    return new Summary(manifest, (System.nanoTime() - t0) / 1_000_000);
  }

  private static long insert(com.mongodb.reactivestreams.client.MongoCollection<BsonDocument> collection, List<BsonDocument> batch, long done, Entry e,
                             PrintStream progress) {
    if (batch.isEmpty()) return done;
    Published.all(collection.insertMany(List.copyOf(batch), new InsertManyOptions().ordered(true)));
    long now = done + batch.size();
    if (now / PROGRESS_EVERY > done / PROGRESS_EVERY) progress.printf("  %s: %,d of %,d documents…%n", e.collection(), now, e.documents());
    batch.clear();
    return now;
  }

  /** Throws unless every collection of the manifest holds as many documents in {@code database} as it says. */
  public static void verifyCounts(Connection target, String database, Manifest manifest) {
    MongoDatabase db = target.database(database);
    List<String> wrong = new ArrayList<>();
    for (Entry e : manifest.collections()) {
      Long n = Published.first(db.getCollection(e.collection()).countDocuments());
      if (n == null || n != e.documents()) wrong.add(e.collection() + " holds " + n + ", the export " + e.documents());
    }
    if (!wrong.isEmpty()) throw new IllegalStateException("the imported database does not match the export: " + String.join("; ", wrong));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
