package io.careloop.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The H2 backend of mongo-java-server, made safe against {@code kill -9}.
 *
 * <p>Its documents and its {@code _id} index are separate H2 maps written one after the other, and H2 commits on its
 * own (a background thread, or when its write buffer fills) whatever state the maps are in. A crash after such a
 * commit left a document without its index entry: the next upsert of it failed for ever (found by the kill -9 test).
 * Here the store never commits on its own, and {@link #commit()} waits until no command is half-done, so every state
 * on disk is one between two commands.
 *
 * <p>It also opens its databases as {@link KeyOrderedDatabase}: the same storage, without two costs that grow with the
 * data (keys serialised on every comparison, and full reads at every open).
 */
final class CrashSafeH2Backend extends H2Backend {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

  private CrashSafeH2Backend(MVStore store) {
    super(store);
  }

  /** {@code file} is an H2 file name: a plain path, or one with a registered file-system prefix (a test's power cut). */
  static CrashSafeH2Backend open(String file) {
    return new CrashSafeH2Backend(new MVStore.Builder().fileName(file).autoCommitDisabled().open());
  }

  /** A backup opened to check it: nothing is written to it. */
  static CrashSafeH2Backend openReadOnly(String file) {
    return new CrashSafeH2Backend(new MVStore.Builder().fileName(file).readOnly().open());
  }

  /** Held for a whole commit (write and force) and for a backup's copy, so a copy never sees a commit half-written. */
  private final java.util.concurrent.locks.ReentrantLock commits = new java.util.concurrent.locks.ReentrantLock();

  /**
   * A backup of the store as of now: everything acknowledged so far is committed and forced, then the file is copied
   * while no commit may run. Commands go on meanwhile (they change memory only, until the next commit, which waits).
   */
  Backups.Backup snapshot(java.nio.file.Path target, String database) throws java.io.IOException {
    commits.lock();
    try {
      commit();
      return Backups.copyAndVerify(java.nio.file.Path.of(getMvStore().getFileStore().getFileName()), target, database);
    } finally {
      commits.unlock();
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String name) {
    return new KeyOrderedDatabase(name);
  }

  /**
   * The stock H2 database with its unique indexes in {@link IndexKeyOrder} and no rebuild of ignored indexes. An inner class because the stock
   * constructor opens the indexes before a subclass's own fields are set; the enclosing backend is set before that.
   */
  private final class KeyOrderedDatabase extends H2Database {
    KeyOrderedDatabase(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    /**
     * The stock server ignores secondary indexes but, as their stand-in is always empty, rebuilt each of them at every
     * open by reading every document of the collection twice: 14 s of a start with 100,000 cases. Reporting it as
     * not empty skips that work, which had no effect anyway.
     */
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new EmptyIndex<>(indexName, keys) {
        @Override
        public boolean isEmpty() {
          return false;
        }
      };
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return IndexKeyOrder.openUniqueIndex(getMvStore(), getFullCollectionNamespace(collectionName), indexName, keys, sparse);
    }
  }

  /**
   * Writes every change so far to the file and forces the file to the disk. H2's commit only hands its chunk to the
   * kernel (a {@code pwrite}): that survives {@code kill -9}, since the page cache outlives the process, but not a power
   * cut or a kernel crash. The force ({@code fdatasync} via {@link org.h2.mvstore.MVStore#sync()}) runs after the write
   * lock is released: commands may go on changing the maps meanwhile, and nothing they write reaches the file before
   * the next commit, so the force covers exactly what this commit wrote.
   */
  @Override
  public void commit() {
    commits.lock();
    try {
      boolean wrote = false;
      lock.writeLock().lock();
      try {
        if (getMvStore().hasUnsavedChanges()) {
          super.commit();
          wrote = true;
        }
      } finally {
        lock.writeLock().unlock();
      }
      if (wrote) getMvStore().sync();
    } finally {
      commits.unlock();
    }
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    return whileNotCommitting(() -> super.handleMessage(message));
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    long t0 = System.nanoTime();
    try {
      return whileNotCommitting(() -> super.handleCommand(channel, database, command, query));
    } finally {
      if (PROFILE) {
        Object coll = query.get(command);
        Object filter = query.containsKey("filter") ? query.get("filter") : query.get("query");
        String key = command + " " + coll + " " + (filter == null ? "" : String.valueOf(filter).replaceAll("\\d+", "N").replaceAll("\"[^\"]{12,}\"", "S"));
        if (key.length() > 160) key = key.substring(0, 160);
        STATS.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder[] {new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()});
        STATS.get(key)[0].increment();
        STATS.get(key)[1].add(System.nanoTime() - t0);
      }
    }
  }
  static final boolean PROFILE = Boolean.getBoolean("careloop.profileDb");
  public static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder[]> STATS = new java.util.concurrent.ConcurrentHashMap<>();
  static {
    if (PROFILE) Runtime.getRuntime().addShutdownHook(new Thread(() -> STATS.entrySet().stream()
      .sorted((a, b) -> Long.compare(b.getValue()[1].sum(), a.getValue()[1].sum())).limit(25)
      .forEach(e -> System.err.printf("%8d calls %8d ms  %s%n", e.getValue()[0].sum(), e.getValue()[1].sum() / 1_000_000, e.getKey()))));
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return whileNotCommitting(() -> super.handleQuery(query));
  }

  @Override
  public void dropDatabase(String database) {
    whileNotCommitting(() -> {
      super.dropDatabase(database);
      return null;
    });
  }

  /** Commands run side by side; a commit waits until none is half-done. */
  private <T> T whileNotCommitting(Supplier<T> command) {
    lock.readLock().lock();
    try {
      return command.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      super.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
