package io.careloop;

import io.careloop.store.EmbeddedServer;
import io.careloop.store.Transfer;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The way from the embedded database to a real MongoDB: a data folder CareLoop ran on (accounts, cases, a reply, a KB
 * article, the audit, a backup) plus documents of every BSON type is exported, imported into a fresh instance and
 * compared document by document as BSON; CareLoop then starts on the import and a user signs in. Every refusal
 * (a running CareLoop, a non-empty target, a tampered file, no export at all) writes nothing.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Export as Extended JSON and import into an empty MongoDB")
class ExportImportTest {
  static final String DB = "careloop";
  @TempDir static Path data;
  @TempDir static Path work;
  static Path exported;
  static String backupFile;
  static String refusedWhileRunning;
  static String firstCase;

  @BeforeAll
  static void populateAndExport(Vertx vertx) throws IOException {
    Path backups = work.resolve("backups");
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_BACKUP_DIR", backups.toString()))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("21", "erin", "Erin", 300);
      Agent alice = h.newAgent("alice", "agent");
      Agent cole = h.newAgent("cole", "community");
      String first = firstCase = "c" + t.publish("21", "@AcmeCloud how do I reset my password?", null, null).id();
      String second = "c" + t.publish("21", "@AcmeCloud my invoice is wrong", null, null).id();
      for (String id : List.of(first, second)) {
        eventually("case " + id, Duration.ofSeconds(15), () -> alice.get("/api/cases/" + id).status() == 200);
      }
      alice.post("/api/cases/" + first + "/claim", null).expect(200);
      alice.post("/api/cases/" + first + "/reply", new JsonObject().put("text", "@erin Settings, then Security, then Reset")).expect(201);
      cole.post("/api/kb/articles", new JsonObject().put("title", "Reset your password").put("question", "How do I reset my password?")
        .put("steps", new JsonArray().add("Open Settings > Security.").add("Choose Reset.")).put("product", "account")
        .put("tags", new JsonArray().add("password")).put("status", "published")).expect(201);
      backupFile = h.admin().post("/api/admin/backups", null).expect(201).json().getString("file");

      StringBuilder said = new StringBuilder();
      assertEquals(1, run(said, "export", "--data-dir", data.toString(), "--to", work.resolve("while-running").toString()), said.toString());
      refusedWhileRunning = said.toString();
    }
    // Beside what CareLoop wrote, a document of every type a document can hold (its client cannot write some of them).
    try (EmbeddedServer folder = EmbeddedServer.open(data)) {
      folder.insert(DB, "bson_types", everyType());
    }
    exported = work.resolve("export");
    StringBuilder said = new StringBuilder();
    assertEquals(0, run(said, "export", "--data-dir", data.toString(), "--to", exported.toString()), said.toString());
    assertTrue(said.toString().contains("Exported "), said.toString());
  }

  static List<BsonDocument> everyType() {
    BsonDocument all = new BsonDocument("_id", new BsonObjectId(new ObjectId("65a1b2c3d4e5f60718293a4b")))
      .append("int32", new BsonInt32(-7))
      .append("int64", new BsonInt64(9_007_199_254_740_993L))
      .append("smallInt64", new BsonInt64(3))
      .append("double", new BsonDouble(0.1))
      .append("wholeDouble", new BsonDouble(2.0))
      .append("negativeZero", new BsonDouble(-0.0))
      .append("decimal", new BsonDecimal128(new Decimal128(new BigDecimal("1234567890.123456789012345"))))
      .append("string", new BsonString("naïve \"quoted\" line\nnext 🚀 \u0000 end"))
      .append("empty", new BsonString(""))
      .append("true", BsonBoolean.TRUE)
      .append("false", BsonBoolean.FALSE)
      .append("null", BsonNull.VALUE)
      .append("date", new BsonDateTime(1_764_691_200_123L))
      .append("before1970", new BsonDateTime(-86_400_000L))
      .append("timestamp", new BsonTimestamp(1_764_691_200, 7))
      .append("objectId", new BsonObjectId(new ObjectId("5f1e2d3c4b5a697887766554")))
      .append("binary", new BsonBinary(new byte[] {0, 1, 2, (byte) 0xff}))
      .append("uuid", new BsonBinary(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
      .append("userBinary", new BsonBinary((byte) 0x80, new byte[] {42}))
      .append("regex", new BsonRegularExpression("^acme\\s+cloud$", "i"))
      .append("code", new BsonJavaScript("function () { return 1; }"))
      .append("min", new BsonMinKey())
      .append("max", new BsonMaxKey())
      .append("array", new BsonArray(List.of(new BsonInt32(1), new BsonInt64(1), new BsonDouble(1), new BsonString("1"),
        new BsonArray(List.of(new BsonDocument("deep", new BsonDateTime(0)))))))
      .append("emptyArray", new BsonArray())
      .append("nested", new BsonDocument("a", new BsonDocument("b", new BsonDecimal128(Decimal128.parse("-0.00")))))
      .append("emptyDocument", new BsonDocument());
    return List.of(all,
      new BsonDocument("_id", new BsonInt64(42)).append("kind", new BsonString("an int64 _id")),
      new BsonDocument("_id", new BsonDocument("composite", new BsonString("key"))).append("kind", new BsonString("a document _id")));
  }

  @Test
  @DisplayName("the export: one file per collection, one canonical Extended JSON document a line, and a manifest with counts and SHA-256")
  void theExport() throws IOException {
    JsonObject manifest = new JsonObject(Files.readString(exported.resolve(Transfer.MANIFEST)));
    assertEquals("careloop-export/1", manifest.getString("format"));
    assertEquals("development", manifest.getString("careloopVersion"), "run from classes, not the jar");
    assertTrue(manifest.getString("exportedAt").endsWith("Z"), manifest.encode());
    Map<String, JsonObject> byName = new TreeMap<>();
    manifest.getJsonArray("collections").forEach(o -> byName.put(((JsonObject) o).getString("name"), (JsonObject) o));
    assertTrue(byName.keySet().containsAll(Set.of("users", "cases", "mentions", "replies", "kb_articles", "audit", "bson_types")), byName.keySet().toString());
    assertEquals(3, byName.get("users").getLong("documents"), "admin, alice, cole: " + byName.get("users"));
    for (JsonObject c : byName.values()) {
      Path file = exported.resolve(c.getString("file"));
      assertEquals(c.getString("name") + ".json", c.getString("file"));
      assertEquals(c.getLong("documents"), (long) Files.readAllLines(file).size(), file.toString());
      assertEquals(c.getLong("bytes"), Files.size(file));
      assertEquals(64, c.getString("sha256").length());
    }
    try (Stream<Path> files = Files.list(exported)) {
      assertEquals(byName.size() + 1, files.count(), "the files and the manifest, no partial file left");
    }
    String types = Files.readString(exported.resolve("bson_types.json"));
    for (String spelt : List.of("\"$numberLong\": \"9007199254740993\"", "\"$numberInt\": \"-7\"", "\"$numberDecimal\": \"1234567890.123456789012345\"",
      "\"$date\": {\"$numberLong\": \"1764691200123\"}", "\"$oid\": \"65a1b2c3d4e5f60718293a4b\"", "\"subType\": \"04\"", "\"$numberDouble\": \"-0.0\"")) {
      assertTrue(types.contains(spelt), spelt + " in " + types);
    }
    assertTrue(refusedWhileRunning.contains("CareLoop is running on"), refusedWhileRunning);
    assertFalse(Files.exists(work.resolve("while-running").resolve(Transfer.MANIFEST)), "nothing exported while running");
  }

  @Test
  @DisplayName("imported into a fresh embedded instance: every collection equal document by document as BSON; CareLoop starts on it and alice signs in")
  void importIntoFreshInstanceAndStart(Vertx vertx, @TempDir Path target) {
    Map<String, List<String>> indexesAfterImport = new TreeMap<>();
    try (EmbeddedServer into = EmbeddedServer.open(target)) {
      StringBuilder said = new StringBuilder();
      assertEquals(0, run(said, "import", "--from", exported.toString(), "--mongo-uri", into.uri()), said.toString());
      assertTrue(said.toString().contains("counts match the manifest"), said.toString());
      try (EmbeddedServer from = EmbeddedServer.open(data)) {
        assertEquals(from.collections(DB), into.collections(DB));
        for (String collection : from.collections(DB)) {
          Map<BsonValue, BsonDocument> before = from.documents(DB, collection);
          Map<BsonValue, BsonDocument> after = into.documents(DB, collection);
          assertEquals(before.size(), after.size(), collection);
          before.forEach((id, doc) -> {
            BsonDocument same = after.get(id);
            assertEquals(doc, same, collection + " " + id);
            // Equal as BSON is not order-sensitive; a document's field order is part of it too.
            assertEquals(new ArrayList<>(doc.keySet()), new ArrayList<>(same.keySet()), collection + " " + id);
          });
        }
        BsonDocument types = into.documents(DB, "bson_types").get(new BsonObjectId(new ObjectId("65a1b2c3d4e5f60718293a4b")));
        assertTrue(types.get("int64").isInt64() && types.get("decimal").isDecimal128() && types.get("uuid").isBinary()
          && types.get("date").isDateTime() && types.get("timestamp").isTimestamp() && types.get("min").getBsonType() == org.bson.BsonType.MIN_KEY, types.toJson());
        assertTrue(into.documents(DB, "bson_types").containsKey(new BsonInt64(42)), "an int64 _id stays an int64");
      }
      for (String c : into.collections(DB)) indexesAfterImport.put(c, indexNames(into.indexes(DB, c)));
    }
    assertTrue(indexesAfterImport.get("users").contains("username"), indexesAfterImport.toString());
    assertTrue(indexesAfterImport.get("cases").containsAll(List.of("state_due", "conversation", "message_tweet")), indexesAfterImport.toString());
    assertTrue(indexesAfterImport.get("replies").containsAll(List.of("case", "state")), indexesAfterImport.toString());

    try (Harness h = Harness.start(vertx, target, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent alice = Agent.login(vertx, h.port(), "alice", "alice-long-password");
      alice.get("/api/me").expect(200);
      assertEquals(2, h.count("cases", new JsonObject()));
      JsonObject replied = alice.get("/api/cases/" + firstCase).expect(200).json();
      assertTrue(replied.encode().contains("Settings, then Security, then Reset"), replied.encode());
      Agent.login(vertx, h.port(), "cole", "cole-long-password").get("/api/kb/articles").expect(200);
    }
    // The start created nothing the import had not: the import made the very indexes a start makes.
    try (EmbeddedServer started = EmbeddedServer.open(target)) {
      for (String c : List.of("users", "cases", "mentions", "replies")) {
        assertEquals(indexesAfterImport.get(c), indexNames(started.indexes(DB, c)), c);
      }
    }
  }

  static List<String> indexNames(List<BsonDocument> indexes) {
    return indexes.stream().map(i -> i.getString("name").getValue()).sorted().toList();
  }

  @Test
  @DisplayName("a target that holds any document is refused, exit 1, and nothing is written")
  void nonEmptyTargetRefused() {
    try (EmbeddedServer target = EmbeddedServer.inMemory()) {
      target.insert(DB, "leftover", List.of(new BsonDocument("_id", new BsonString("x"))));
      StringBuilder said = new StringBuilder();
      assertEquals(1, run(said, "import", "--from", exported.toString(), "--mongo-uri", target.uri()), said.toString());
      assertTrue(said.toString().contains("is not empty (leftover hold documents)"), said.toString());
      assertEquals(List.of("leftover"), target.collections(DB));
      assertEquals(1, target.count(DB, "leftover"));
    }
  }

  @Test
  @DisplayName("a file with a line more, a changed byte, or a manifest count changed: refused before anything is written")
  void tamperedExportRefused() throws IOException {
    try (EmbeddedServer target = EmbeddedServer.inMemory()) {
      Path extraLine = copyOfExport("extra-line");
      String firstCase = Files.readAllLines(extraLine.resolve("cases.json")).get(0);
      Files.writeString(extraLine.resolve("cases.json"), firstCase + "\n", StandardOpenOption.APPEND);
      assertRefused(target, extraLine, "cases.json holds 3 documents, the manifest says 2", "cases.json has SHA-256");

      Path changedByte = copyOfExport("changed-byte");
      String users = Files.readString(changedByte.resolve("users.json"));
      Files.writeString(changedByte.resolve("users.json"), users.replace("\"alice\"", "\"alicE\""));
      assertRefused(target, changedByte, "users.json has SHA-256");

      Path changedCount = copyOfExport("changed-count");
      JsonObject manifest = new JsonObject(Files.readString(changedCount.resolve(Transfer.MANIFEST)));
      for (Object o : manifest.getJsonArray("collections")) {
        JsonObject c = (JsonObject) o;
        if (c.getString("name").equals("replies")) c.put("documents", c.getLong("documents") + 1);
      }
      Files.writeString(changedCount.resolve(Transfer.MANIFEST), manifest.encodePrettily());
      assertRefused(target, changedCount, "replies.json holds 1 documents, the manifest says 2");

      Path missingFile = copyOfExport("missing-file");
      Files.delete(missingFile.resolve("kb_articles.json"));
      assertRefused(target, missingFile, "kb_articles.json is missing");
    }
  }

  void assertRefused(EmbeddedServer target, Path export, String... saying) {
    StringBuilder said = new StringBuilder();
    assertEquals(1, run(said, "import", "--from", export.toString(), "--mongo-uri", target.uri()), said.toString());
    assertTrue(said.toString().contains("does not match its manifest (nothing was imported)"), said.toString());
    for (String s : saying) assertTrue(said.toString().contains(s), s + " in " + said);
    assertEquals(List.of(), target.collections(DB), "nothing written");
  }

  static Path copyOfExport(String name) throws IOException {
    Path copy = work.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(exported)) {
      for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    return copy;
  }

  @Test
  @DisplayName("no such folder, a folder that is no export, a folder not empty to export into, missing options: clear errors")
  void clearErrors() throws IOException {
    StringBuilder said = new StringBuilder();
    assertEquals(1, run(said, "import", "--from", work.resolve("nowhere").toString(), "--mongo-uri", "mongodb://127.0.0.1:1"));
    assertTrue(said.toString().contains("nowhere does not exist"), said.toString());
    Path notAnExport = Files.createDirectories(work.resolve("not-an-export"));
    Files.writeString(notAnExport.resolve("cases.json"), "{}\n");
    said.setLength(0);
    assertEquals(1, run(said, "import", "--from", notAnExport.toString(), "--mongo-uri", "mongodb://127.0.0.1:1"));
    assertTrue(said.toString().contains("holds no manifest.json: not a CareLoop export, or an unfinished one"), said.toString());
    said.setLength(0);
    assertEquals(1, run(said, "export", "--data-dir", data.toString(), "--to", notAnExport.toString()));
    assertTrue(said.toString().contains("is not empty: export into a new or empty folder"), said.toString());
    said.setLength(0);
    assertEquals(1, run(said, "export", "--data-dir", work.resolve("no-data").toString(), "--to", work.resolve("x").toString()));
    assertTrue(said.toString().contains("no embedded database at"), said.toString());
    assertEquals(2, run(said, "import", "--from", exported.toString()), "no --mongo-uri: usage");
    assertEquals(2, run(said, "export"), "no --to: usage");
    assertEquals(2, run(said, "export", "--to", "x", "--data-dir", "a", "--backup", "b"), "two sources: usage");
  }

  @Test
  @DisplayName("a running CareLoop's database is exported from a backup of it: the same counts the backup verified")
  void exportFromBackup() throws IOException {
    Path fromBackup = work.resolve("from-backup");
    StringBuilder said = new StringBuilder();
    assertEquals(0, run(said, "export", "--backup", backupFile, "--to", fromBackup.toString()), said.toString());
    Map<String, Integer> verified = new TreeMap<>(io.careloop.store.Backups.verify(Path.of(backupFile), DB));
    Map<String, Integer> exportedCounts = new TreeMap<>();
    new JsonObject(Files.readString(fromBackup.resolve(Transfer.MANIFEST))).getJsonArray("collections")
      .forEach(o -> exportedCounts.put(((JsonObject) o).getString("name"), ((JsonObject) o).getInteger("documents")));
    assertEquals(verified, exportedCounts);
  }

  static int run(StringBuilder said, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = Commands.run(args, Map.of(), print, print);
    said.append(out.toString(StandardCharsets.UTF_8));
    return code;
  }
}
