package io.careloop.store;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The H2 backend of mongo-java-server, made safe against {@code kill -9}.
 *
 * <p>Its documents and its {@code _id} index are separate H2 maps written one after the other, and H2 commits on its
 * own (a background thread, or when its write buffer fills) whatever state the maps are in. A crash after such a
 * commit left a document without its index entry: the next upsert of it failed for ever (found by the kill -9 test).
 * Here the store never commits on its own, and {@link #commit()} waits until no command is half-done, so every state
 * on disk is one between two commands.
 */
final class CrashSafeH2Backend extends H2Backend {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

  private CrashSafeH2Backend(MVStore store) {
    super(store);
  }

  static CrashSafeH2Backend open(String file) {
    return new CrashSafeH2Backend(new MVStore.Builder().fileName(file).autoCommitDisabled().open());
  }

  @Override
  public void commit() {
    lock.writeLock().lock();
    try {
      if (getMvStore().hasUnsavedChanges()) super.commit();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    lock.readLock().lock();
    try {
      return super.handleMessage(message);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    lock.readLock().lock();
    try {
      return super.handleCommand(channel, database, command, query);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    lock.readLock().lock();
    try {
      return super.handleQuery(query);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void dropDatabase(String database) {
    lock.readLock().lock();
    try {
      super.dropDatabase(database);
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
