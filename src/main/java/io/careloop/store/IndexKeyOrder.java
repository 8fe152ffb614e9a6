package io.careloop.store;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

import java.util.List;
import java.util.Map;

/**
 * The key order of the embedded server's unique indexes, without re-serialising keys on every comparison.
 *
 * <p>mongo-java-server keys its H2 index maps by {@link KeyValue}, which is not {@link Comparable}, so H2's
 * {@link ObjectDataType} orders two keys by Java-serialising both, on every comparison of every lookup: this was half
 * of the CPU time of ingestion (JFR). This type orders keys exactly as before (by their serialised bytes, so index files
 * written by the stock backend stay valid and are read the same way) but keeps the bytes of recently compared keys.
 * Storage is unchanged: reading and writing are {@link ObjectDataType}'s.
 */
final class IndexKeyOrder extends ObjectDataType {
  /** Direct-mapped by identity: a slot holds the last key that hashed there, so memory stays bounded (about 2 MB). */
  private static final int SLOTS = 1 << 14;
  private final Cached[] cache = new Cached[SLOTS];

  private record Cached(Object key, byte[] bytes) {}

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue && b instanceof KeyValue) {
      return a == b ? 0 : compareNotNull(bytes(a), bytes(b));
    }
    return super.compare(a, b);
  }

  private byte[] bytes(Object key) {
    int slot = System.identityHashCode(key) & (SLOTS - 1);
    Cached hit = cache[slot];
    if (hit != null && hit.key == key) return hit.bytes;
    byte[] bytes = serialize(key);
    // A racing write to the same slot only loses a cache entry: entries are immutable and compared by identity.
    cache[slot] = new Cached(key, bytes);
    return bytes;
  }

  /** One cache for all indexes of the process: keys are told apart by identity. */
  static final IndexKeyOrder SHARED = new IndexKeyOrder();

  /** Opens a unique index of the embedded server with this key order, under the stock backend's map name. */
  static Index<Object> openUniqueIndex(MVStore store, String collectionNamespace, String indexName, List<IndexKey> keys, boolean sparse) {
    MVMap<KeyValue, Object> map = store.openMap(collectionNamespace + "._index_" + indexName,
      new MVMap.Builder<KeyValue, Object>().keyType(SHARED));
    return new UniqueIndex(map, indexName, keys, sparse);
  }

  /** The stock {@code H2UniqueIndex}, whose constructor is not visible outside its package. */
  static final class UniqueIndex extends AbstractUniqueIndex<Object> {
    private final MVMap<KeyValue, Object> map;

    UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
      super(name, keys, sparse);
      this.map = map;
    }

    @Override
    protected Object removeDocument(KeyValue key) {
      return map.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
      return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
      return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
      return map.get(key);
    }

    @Override
    public long getCount() {
      return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public long getDataSize() {
      return getCount();
    }
  }
}
