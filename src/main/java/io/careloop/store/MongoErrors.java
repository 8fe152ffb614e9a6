package io.careloop.store;

/** Reading MongoDB failures that callers act on. */
public final class MongoErrors {
  private MongoErrors() {}

  /** The database could not be reached (no server selected in time, a socket failed): worth retrying later. */
  public static boolean isUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.mongodb.MongoTimeoutException || t instanceof com.mongodb.MongoSocketException
        || t instanceof com.mongodb.MongoNotPrimaryException || t instanceof com.mongodb.MongoNodeIsRecoveringException) return true;
    }
    return false;
  }

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
