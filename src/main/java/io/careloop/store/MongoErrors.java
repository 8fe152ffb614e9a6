package io.careloop.store;

/** Reading MongoDB failures that callers act on. */
public final class MongoErrors {
  private MongoErrors() {}

  /** A unique-key violation (E11000), however the client wrapped it. */
  public static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.mongodb.MongoException me && me.getCode() == 11000) return true;
      String m = String.valueOf(t.getMessage());
      if (m.contains("E11000") || m.contains("duplicate key")) return true;
    }
    return false;
  }
}
