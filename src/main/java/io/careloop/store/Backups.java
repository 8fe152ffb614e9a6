package io.careloop.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Backups of the embedded database: a copy of its H2 file taken between two commits (so it is a state CareLoop was
 * in, with everything acknowledged before it), forced to disk, and verified by opening it and counting every
 * collection before it is given its name. Plain file work, run on a worker.
 */
public final class Backups {
  public static final String FILE = "careloop.mv.db";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'careloop-'yyyyMMdd'-'HHmmss'.mv.db'").withZone(ZoneOffset.UTC);

  private Backups() {}

  /** A verified backup: where it is, its size, and the documents each collection held. */
  public record Backup(Path file, long bytes, Map<String, Integer> collections, long tookMillis) {
    public long documents() { return collections.values().stream().mapToLong(Integer::longValue).sum(); }
  }

  /** The name of a backup taken at {@code at}, sortable by time. */
  public static String nameAt(Instant at) { return NAME.format(at); }

  /** Copies {@code live} (a store no commit may touch meanwhile) to {@code target}, forces and verifies it. */
  static Backup copyAndVerify(Path live, Path target, String database) throws IOException {
    long t0 = System.nanoTime();
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = dir.resolve(target.getFileName() + ".partial");
    Files.copy(live, partial, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel c = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Map<String, Integer> counts;
    try {
      counts = verify(partial, database);
    } catch (RuntimeException e) {
      Files.deleteIfExists(partial);
      throw new IOException("the copy does not open as a CareLoop database: " + e.getMessage(), e);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Backup(target, Files.size(target), counts, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Opens a database file read-only as the embedded server would and counts the documents of every collection;
   * throws when it is not a store, or holds no CareLoop data ({@code users} always has the first admin).
   */
  /** Every CareLoop database has its accounts (the first admin is made at first start): how a backup is told from other files. */
  static final String ALWAYS_THERE = "users";

  public static Map<String, Integer> verify(Path file, String database) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + " is not a file");
    List<String> collections = new ArrayList<>();
    String prefix = "databases." + database + ".";
    MVStore probe = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      for (String map : probe.getMapNames()) {
        if (map.startsWith(prefix) && !map.startsWith(prefix + "system.")) collections.add(map.substring(prefix.length()));
      }
    } finally {
      probe.close();
    }
    if (!collections.contains(ALWAYS_THERE)) throw new IllegalArgumentException(file + " holds no CareLoop database '" + database + "'");
    Map<String, Integer> counts = new TreeMap<>();
    CrashSafeH2Backend backend = CrashSafeH2Backend.openReadOnly(file.toString());
    try {
      MongoDatabase db = backend.resolveDatabase(database);
      for (String name : collections) {
        MongoCollection<?> c = db.resolveCollection(name, false);
        counts.put(name, c == null ? 0 : c.count());
      }
    } finally {
      backend.close();
    }
    return counts;
  }

  /** Keeps the {@code keep} newest backups in {@code dir} (by their names, which sort by time); returns those removed. */
  public static List<Path> prune(Path dir, int keep) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Path> all;
    try (Stream<Path> files = Files.list(dir)) {
      all = files.filter(p -> p.getFileName().toString().matches("careloop-\\d{8}-\\d{6}\\.mv\\.db")).sorted().toList();
    }
    List<Path> removed = new ArrayList<>();
    for (int i = 0; i < all.size() - keep; i++) {
      Files.delete(all.get(i));
      removed.add(all.get(i));
    }
    return removed;
  }

  /**
   * Puts a verified backup in place of a data folder's database (CareLoop stopped); the database it replaces is kept
   * beside it as {@code careloop.mv.db.before-restore-<time>}. Returns what the restored database holds.
   */
  public static Map<String, Integer> restore(Path backup, Path dataDir, String database, Instant now) throws IOException {
    Map<String, Integer> counts = verify(backup, database);
    Files.createDirectories(dataDir);
    Path live = dataDir.resolve(FILE);
    if (Files.exists(live)) {
      try (FileChannel c = FileChannel.open(live, StandardOpenOption.WRITE)) {
        if (c.tryLock() == null) throw new IOException("CareLoop is running on " + dataDir + ": stop it before restoring");
      } catch (java.nio.channels.OverlappingFileLockException e) {
        throw new IOException("CareLoop is running on " + dataDir + ": stop it before restoring", e);
      }
      Files.move(live, dataDir.resolve(FILE + ".before-restore-" + nameAt(now).substring(9, 24)));
    }
    Path partial = dataDir.resolve(FILE + ".restoring");
    Files.copy(backup, partial, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel c = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Files.move(partial, live, StandardCopyOption.ATOMIC_MOVE);
    return counts;
  }
}
