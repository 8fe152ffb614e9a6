package io.careloop;

import io.careloop.config.Settings;
import io.careloop.store.Backups;
import io.careloop.store.Transfer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code java -jar careloop.jar COMMAND} does besides running CareLoop: {@code verify FILE} checks a backup,
 * {@code restore --from FILE [--data-dir DIR]} puts one in place of a stopped CareLoop's database. A backup of a
 * running CareLoop is taken through it (Administration → Back up now, or {@code POST /api/admin/backups}), so that it
 * falls between two commits. {@code export} and {@code import} move a database to a real MongoDB (see {@link Transfer}).
 */
final class Commands {
  private Commands() {}

  /** Runs one command; returns the process's exit code (0 done, 1 failed, 2 bad usage). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Settings settings = Settings.load(env);
      switch (args[0]) {
        case "verify" -> {
          if (args.length != 2) return usage(err);
          Map<String, Integer> counts = Backups.verify(Path.of(args[1]), settings.mongo().database());
          out.println(args[1] + " is a CareLoop database: " + counts);
          return 0;
        }
        case "restore" -> {
          String from = option(args, "--from");
          String dataDir = option(args, "--data-dir");
          if (from == null) return usage(err);
          Path dir = dataDir == null ? settings.dataDir() : Path.of(dataDir);
          Map<String, Integer> counts = Backups.restore(Path.of(from), dir, settings.mongo().database(), Instant.now());
          out.println("Restored " + from + " into " + dir.toAbsolutePath() + ": " + counts
            + ". The database it replaced is kept beside it as careloop.mv.db.before-restore-*.");
          return 0;
        }
        case "export" -> {
          return export(args, settings, out, err);
        }
        case "import" -> {
          return importInto(args, settings, out, err);
        }
        default -> {
          return usage(err);
        }
      }
    } catch (IOException | RuntimeException e) {
      err.println("careloop " + args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }

  /**
   * {@code export --to DIR [--data-dir DIR | --backup FILE | --mongo-uri URI]}: the embedded database of a stopped
   * CareLoop (its data folder, default {@code CARELOOP_DATA_DIR}), a backup file, or a real MongoDB, as Extended JSON.
   */
  private static int export(String[] args, Settings settings, PrintStream out, PrintStream err) throws IOException {
    String to = option(args, "--to");
    String uri = option(args, "--mongo-uri");
    String dataDir = option(args, "--data-dir");
    String backup = option(args, "--backup");
    if (to == null || (uri != null ? 1 : 0) + (dataDir != null ? 1 : 0) + (backup != null ? 1 : 0) > 1) return usage(err);
    Path file = backup != null ? Path.of(backup) : (dataDir == null ? settings.dataDir() : Path.of(dataDir)).resolve(Backups.FILE);
    try (Transfer.Connection source = uri != null ? Transfer.connect(uri) : Transfer.openEmbedded(file)) {
      Transfer.Summary done = Transfer.export(source, settings.mongo().database(), Path.of(to), version(), Instant.now(), out);
      out.printf("Exported %,d documents in %d collections to %s in %.1f s (manifest: %s)%n", done.manifest().documents(),
        done.manifest().collections().size(), Path.of(to).toAbsolutePath(), done.tookMillis() / 1000.0, Transfer.MANIFEST);
      return 0;
    }
  }

  /**
   * {@code import --from DIR --mongo-uri URI}: checks the export against its manifest and that the target database is
   * empty before writing anything, loads it, creates the indexes CareLoop creates at start, and counts it again.
   */
  private static int importInto(String[] args, Settings settings, PrintStream out, PrintStream err) throws IOException {
    String from = option(args, "--from");
    String uri = option(args, "--mongo-uri");
    if (from == null || uri == null) return usage(err);
    long t0 = System.nanoTime();
    Transfer.Manifest manifest = Transfer.check(Path.of(from));
    out.printf("%s matches its manifest: %,d documents in %d collections, checksums agree%n", from, manifest.documents(), manifest.collections().size());
    String database = settings.mongo().database();
    try (Transfer.Connection target = Transfer.connect(uri)) {
      Transfer.requireEmpty(target, database);
      Transfer.load(Path.of(from), manifest, target, database, out);
      long i0 = System.nanoTime();
      createStartIndexes(uri, database);
      out.printf("  indexes CareLoop creates at start: created, %d ms%n", (System.nanoTime() - i0) / 1_000_000);
      Transfer.verifyCounts(target, database, manifest);
      out.printf("Imported %,d documents in %d collections into database '%s' on %s in %.1f s; counts match the manifest. "
          + "Start CareLoop with CARELOOP_MONGO_URI set to it.%n", manifest.documents(), manifest.collections().size(), database,
        target.description(), (System.nanoTime() - t0) / 1e9);
      return 0;
    }
  }

  /** Through the client CareLoop itself uses, by the features' own methods: the very indexes a start makes. */
  private static void createStartIndexes(String uri, String database) {
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", database));
      try {
        StartIndexes.create(mongo).await(5, TimeUnit.MINUTES);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("creating the indexes took over 5 minutes", e);
      } finally {
        mongo.close();
      }
    } finally {
      vertx.close().await();
    }
  }

  /** The jar's version (its manifest's), or "development" when run from compiled classes. */
  static String version() {
    String v = Commands.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  private static String option(String[] args, String name) {
    for (int i = 1; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return null;
  }

  private static int usage(PrintStream err) {
    err.println("usage: java -jar careloop.jar [verify FILE | restore --from FILE [--data-dir DIR]");
    err.println("         | export --to DIR [--data-dir DIR | --backup FILE | --mongo-uri URI] | import --from DIR --mongo-uri URI]");
    err.println("(a backup of a running CareLoop: Administration -> Back up now, or POST /api/admin/backups)");
    return 2;
  }
}
